/**
 * Adjoint's runtime: the {@link dev.adjoint.Differentiable} annotation a user writes, the {@link dev.adjoint.GeneratedFrom}
 * marker the generated classes carry, and the few helpers the generated code calls ({@code dev.adjoint.runtime}). It
 * has no dependencies. A modular application {@code requires dev.adjoint.runtime;} and nothing else for Adjoint.
 */
module dev.adjoint.runtime {
    exports dev.adjoint;
    exports dev.adjoint.runtime;
}
