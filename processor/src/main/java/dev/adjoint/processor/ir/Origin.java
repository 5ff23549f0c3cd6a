package dev.adjoint.processor.ir;

/**
 * Why a derivative statement exists: the rule it applies and the partial derivative it uses, in plain ASCII math
 * (generated sources stay ASCII so that no build's source encoding can reject them). Generated comments are
 * printed from it, and an explanation of the derivation can be built from it.
 *
 * @param rule    the rule's name, e.g. {@code product rule}
 * @param partial the partial derivative, e.g. {@code d(a*b)/da = b}
 */
public record Origin(String rule, String partial) {
    /** The identity: the adjoint of a variable read as an operand receives the operand's adjoint. */
    public static final Origin IDENTITY = new Origin("identity", "dx/dx = 1");

    @Override
    public String toString() {
        return rule + ": " + partial;
    }
}
