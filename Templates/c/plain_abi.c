
{{export}} void {{name}}({{parameters}}) {
  {{name}}_eval({{arguments}});
}
