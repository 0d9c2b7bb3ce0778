/// Which algebraic rewrites the graph may apply while it is built.
///
/// NaN/Inf policy. Under `.ieee` (the default) a rewrite is applied only when it gives the same
/// value as the unsimplified expression for *every* input, Inf and NaN included, with one
/// accepted exception: the sign of a zero result (`x + 0 → x` turns `-0 + 0 = +0` into `-0`;
/// the two compare equal). So `x*0`, `0/x`, `x - x` and `x/x` are **not** folded: each is NaN
/// for some `x` (CasADi folds them, which silently turns a NaN or Inf into a finite number).
///
/// `.assumeFinite` adds those four rewrites, for models whose author guarantees finite values
/// and wants the smaller graph.
///
/// Matrix algebra is separate from this policy: a `Matrix` entry that is the literal constant
/// zero is a *structural* zero, and products skip it (as sparse linear algebra does), whatever
/// the policy.
public enum SimplificationPolicy: Sendable {
    case ieee
    case assumeFinite
}
