package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.SymbolTable;

/** What a transform returns for a request: the derivative as IR, ready for {@code emit} to render. */
public sealed interface Derivative permits Gradient, Jvp {
    /** @return what was asked */
    DerivativeRequest request();

    /** @return the method's symbols, which name the variables of the derivative's IR */
    SymbolTable symbols();
}
