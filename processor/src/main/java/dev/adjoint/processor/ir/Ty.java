package dev.adjoint.processor.ir;

/** The Java types the supported subset computes with. */
public enum Ty {
    DOUBLE("double"),
    INT("int"),
    LONG("long"),
    BOOLEAN("boolean"),
    DOUBLE_ARRAY("double[]"),
    DOUBLE_MATRIX("double[][]"),
    INT_ARRAY("int[]"),
    /**
     * {@code double[][][]}: only generated code has it, for the tangents of a matrix in vector-mode forward
     * differentiation (one direction per last index). Never a user's type.
     */
    TENSOR3("double[][][]");

    private final String java;

    Ty(String java) {
        this.java = java;
    }

    /** @return the type as written in Java source */
    public String java() {
        return java;
    }

    /** @return whether values of this type can carry a derivative ({@code double} and its arrays) */
    public boolean isFloating() {
        return this == DOUBLE || this == DOUBLE_ARRAY || this == DOUBLE_MATRIX || this == TENSOR3;
    }

    /** @return whether this is an array type */
    public boolean isArray() {
        return this == DOUBLE_ARRAY || this == DOUBLE_MATRIX || this == INT_ARRAY || this == TENSOR3;
    }

    /** @return whether this is a primitive numeric type */
    public boolean isNumeric() {
        return this == DOUBLE || this == INT || this == LONG;
    }

    /** @return the type of an element of this array type */
    public Ty element() {
        return switch (this) {
            case DOUBLE_ARRAY -> DOUBLE;
            case DOUBLE_MATRIX -> DOUBLE_ARRAY;
            case INT_ARRAY -> INT;
            case TENSOR3 -> DOUBLE_MATRIX;
            default -> throw new IllegalStateException(this + " is not an array type");
        };
    }

    /** @return the number of array dimensions (0 for scalars) */
    public int rank() {
        return switch (this) {
            case DOUBLE_ARRAY, INT_ARRAY -> 1;
            case DOUBLE_MATRIX -> 2;
            case TENSOR3 -> 3;
            default -> 0;
        };
    }

    /** @return the binary numeric promotion of two numeric types (JLS 5.6.2) */
    public static Ty promote(Ty a, Ty b) {
        if (a == DOUBLE || b == DOUBLE) {
            return DOUBLE;
        }
        if (a == LONG || b == LONG) {
            return LONG;
        }
        return INT;
    }
}
