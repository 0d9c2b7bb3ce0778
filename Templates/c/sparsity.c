static const casadi_int {{symbol}}[{{count}}] = { {{values}} };
