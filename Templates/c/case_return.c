    case {{index}}: return {{value}};
