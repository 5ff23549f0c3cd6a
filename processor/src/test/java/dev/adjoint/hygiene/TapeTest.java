package dev.adjoint.hygiene;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.runtime.Tape;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The chunked stacks of {@link Tape} give back what was pushed, last in first out, across chunk boundaries. */
class TapeTest {

    /** Pushes and pops interleaved at random, crossing chunk ends both ways, checked against a plain stack. */
    @Test
    void stacksGiveBackWhatWasPushedAcrossChunks() {
        SplittableRandom r = new SplittableRandom(20261202);
        Tape tape = new Tape();
        for (int round = 0; round < 3; round++) {
            Deque<Double> doubles = new ArrayDeque<>();
            Deque<Long> longs = new ArrayDeque<>();
            Deque<Object> refs = new ArrayDeque<>();
            tape.reset();
            // up to 400,000 values: past the 16, 32, ..., 65,536 chunks and several full ones
            int steps = round == 0 ? 1_000 : 400_000;
            for (int k = 0; k < steps; k++) {
                boolean push = doubles.isEmpty() || r.nextInt(100) < 70 || k < steps / 2 && r.nextInt(100) < 90;
                if (push) {
                    double d = r.nextDouble();
                    long l = r.nextLong();
                    tape.pushDouble(d);
                    tape.pushLong(l);
                    doubles.push(d);
                    longs.push(l);
                    if (r.nextInt(50) == 0) {
                        Object o = new double[1];
                        tape.pushRef(o);
                        refs.push(o);
                    }
                } else {
                    assertEquals(longs.pop(), tape.popLong());
                    assertEquals(doubles.pop(), tape.popDouble());
                    if (!refs.isEmpty() && r.nextInt(50) == 0) {
                        assertEquals(refs.pop(), tape.popRef());
                    }
                }
            }
            while (!refs.isEmpty()) {
                assertEquals(refs.pop(), tape.popRef());
            }
            while (!doubles.isEmpty()) {
                assertEquals(longs.pop(), tape.popLong());
                assertEquals(doubles.pop(), tape.popDouble());
            }
        }
    }
}
