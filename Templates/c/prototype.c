{{result}} {{function}}({{parameters}});
