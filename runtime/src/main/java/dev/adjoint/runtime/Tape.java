package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Primitive storage for the reverse sweep of generated gradients: a stack of {@code double} values that the
 * forward sweep overwrites and the reverse sweep needs back, a stack of {@code int} values for control flow
 * (branches taken, trip counts, indices) and a stack of array references.
 *
 * <p>Nothing is boxed. A {@code Tape} belongs to one result object, which a caller may reuse across calls: the
 * stacks keep their capacity, so a warm call allocates nothing. A {@code Tape} is not thread-safe; generated methods
 * are, because each call uses the tape of its own result object.
 */
public final class Tape {
    private double[] doubles = new double[16];
    private int doubleTop;
    private int[] ints = new int[16];
    private int intTop;
    private Object[] refs = new Object[4];
    private int refTop;

    /** Creates an empty tape. */
    public Tape() {}

    /**
     * Empties every stack, keeping their capacity (and dropping array references so they can be collected).
     *
     * @return this tape
     */
    public Tape reset() {
        doubleTop = 0;
        intTop = 0;
        if (refTop > 0) {
            Arrays.fill(refs, 0, refTop, null);
            refTop = 0;
        }
        return this;
    }

    /**
     * Saves a double.
     *
     * @param value the value the reverse sweep will need back
     */
    public void pushDouble(double value) {
        if (doubleTop == doubles.length) {
            doubles = Arrays.copyOf(doubles, doubles.length * 2);
        }
        doubles[doubleTop++] = value;
    }

    /**
     * Takes back the double saved last.
     *
     * @return the value
     */
    public double popDouble() {
        return doubles[--doubleTop];
    }

    /**
     * Saves an int (a long is saved as two).
     *
     * @param value the value
     */
    public void pushInt(int value) {
        if (intTop == ints.length) {
            ints = Arrays.copyOf(ints, ints.length * 2);
        }
        ints[intTop++] = value;
    }

    /**
     * Takes back the int saved last.
     *
     * @return the value
     */
    public int popInt() {
        return ints[--intTop];
    }

    /**
     * Saves a long as two ints.
     *
     * @param value the value
     */
    public void pushLong(long value) {
        pushInt((int) value);
        pushInt((int) (value >>> 32));
    }

    /**
     * Takes back the long saved last.
     *
     * @return the value
     */
    public long popLong() {
        long high = popInt();
        long low = popInt() & 0xFFFF_FFFFL;
        return (high << 32) | low;
    }

    /**
     * Saves a boolean, such as the branch an {@code if} took.
     *
     * @param value the value
     */
    public void pushBoolean(boolean value) {
        pushInt(value ? 1 : 0);
    }

    /**
     * Takes back the boolean saved last.
     *
     * @return the value
     */
    public boolean popBoolean() {
        return popInt() != 0;
    }

    /**
     * Saves an array reference (an array variable that is reassigned, with its adjoint).
     *
     * @param array the array, may be null
     */
    public void pushRef(Object array) {
        if (refTop == refs.length) {
            refs = Arrays.copyOf(refs, refs.length * 2);
        }
        refs[refTop++] = array;
    }

    /**
     * Takes back the reference saved last.
     *
     * @return the reference
     */
    public Object popRef() {
        Object r = refs[--refTop];
        refs[refTop] = null;
        return r;
    }
}
