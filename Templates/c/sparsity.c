static const {{index}} {{symbol}}[{{count}}] = { {{values}} };
