package dev.adjoint.processor.diagnostics;

/**
 * Thrown inside the pipeline, after an error has been reported, to abandon the current method. The processor
 * catches it per method; it never reaches javac.
 */
public final class AbandonMethod extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the signal. */
    public AbandonMethod() {
        super(null, null, false, false);
    }
}
