void {{name}}({{parameters}});
