package dev.adjoint.hygiene;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.Buffers;
import org.junit.jupiter.api.Test;

/** The scratch arrays of a reusable result behave as {@code new double[n]} and {@code new double[r][c]} do. */
class BuffersTest {

    @Test
    void aScratchArrayIsReusedZeroedWhenItsLengthFits() {
        double[] a = Buffers.zeros(null, 3);
        a[1] = 5;
        assertSame(a, Buffers.zeros(a, 3));
        assertArrayEquals(new double[3], a);
        assertNotSame(a, Buffers.zeros(a, 4));
        assertArrayEquals(new double[0], Buffers.zeros(null, 0));
        assertThrows(NegativeArraySizeException.class, () -> Buffers.zeros(a, -1));
    }

    @Test
    void aScratchMatrixIsReusedZeroedWhenItsShapeFits() {
        double[][] m = Buffers.zeros(null, 2, 3);
        m[1][2] = 7;
        assertSame(m, Buffers.zeros(m, 2, 3));
        assertArrayEquals(new double[2][3], m);
        assertNotSame(m, Buffers.zeros(m, 2, 4));
        assertNotSame(m, Buffers.zeros(m, 3, 3));
        double[][] ragged = {new double[3], new double[2]};
        assertNotSame(ragged, Buffers.zeros(ragged, 2, 3));
        // new double[0][-1] throws, whatever the reused matrix
        double[][] empty = Buffers.zeros(null, 0, 0);
        assertThrows(NegativeArraySizeException.class, () -> Buffers.zeros(empty, 0, -1));
        assertThrows(NegativeArraySizeException.class, () -> Buffers.zeros(null, -1, 2));
    }
}
