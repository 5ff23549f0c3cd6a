package dev.adjoint.gradbench;

/** An input the eval does not define: the tool answers {@code success:false} with this message. */
public final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInput(String message) {
        super(message);
    }
}
