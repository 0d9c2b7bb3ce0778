{{real}} {{function}}({{parameters}});
