package dev.adjoint.gradbench.lstm;

import static dev.adjoint.gradbench.Checks.assertClose;
import static dev.adjoint.gradbench.Checks.copy;
import static dev.adjoint.gradbench.Checks.derivative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Checks;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generated gradient of {@link Lstm#objective} against finite differences, and against a recording. */
class LstmTest {
    static final double FD_TOLERANCE = 1e-7;

    static double[][] random(Random r, int rows, int cols, double scale) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * r.nextGaussian();
            }
        }
        return a;
    }

    static double[][] bits(Random r, int rows, int cols) {
        double[][] a = new double[rows][cols];
        for (double[] row : a) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextBoolean() ? 1 : 0;
            }
        }
        return a;
    }

    @ParameterizedTest
    @CsvSource({"1, 2, 3, 6", "2, 1, 4, 5", "3, 3, 2, 4"})
    void gradientMatchesFiniteDifferences(long seed, int layers, int b, int c) {
        Random r = new Random(seed);
        double[][] main = random(r, 2 * layers, 4 * b, 0.8);
        double[][] extra = random(r, 3, b, 0.8);
        double[][] state = random(r, 2 * layers, b, 0.5);
        double[][] sequence = bits(r, c, b);
        double[][] stateBefore = copy(state);

        LstmGrad.ObjectiveGradient g = LstmGrad.objective(main, extra, state, sequence);
        assertEquals(Lstm.objective(main, extra, state, sequence), g.value(), 0, "value() is the objective");
        for (int i = 0; i < state.length; i++) {
            assertArrayEquals(stateBefore[i], state[i], 0, "the state is only read");
        }

        for (int i = 0; i < main.length; i++) {
            for (int j = 0; j < main[i].length; j++) {
                int ii = i;
                int jj = j;
                double fd = derivative(v -> {
                    double[][] moved = copy(main);
                    moved[ii][jj] = v;
                    return Lstm.objective(moved, extra, state, sequence);
                }, main[i][j]);
                assertClose(fd, g.mainParams()[i][j], FD_TOLERANCE, "d/dmain_params[" + i + "][" + j + "]");
            }
        }
        for (int i = 0; i < extra.length; i++) {
            for (int j = 0; j < b; j++) {
                int ii = i;
                int jj = j;
                double fd = derivative(v -> {
                    double[][] moved = copy(extra);
                    moved[ii][jj] = v;
                    return Lstm.objective(main, moved, state, sequence);
                }, extra[i][j]);
                assertClose(fd, g.extraParams()[i][j], FD_TOLERANCE, "d/dextra_params[" + i + "][" + j + "]");
            }
        }
    }

    /** GradBench's workload l=2, c=1024: objective and the flat [8lb + 3b] gradient against the manual tool's. */
    @Test
    void recordedWorkloadMatchesReference() throws BadInput {
        JsonNode w = Checks.workload("lstm/lstm_l2_c1024.json");
        LstmEval eval = new LstmEval();
        double f = (Double) eval.prepare("objective", w.get("input")).run();
        assertClose(w.at("/expected/objective").asDouble(), f, 1e-10, "objective");
        double[] j = (double[]) eval.prepare("jacobian", w.get("input")).run();
        JsonNode expected = w.at("/expected/jacobian");
        assertEquals(8 * 2 * 7 + 3 * 7, j.length, "8lb + 3b entries");
        assertEquals(expected.size(), j.length);
        for (int i = 0; i < j.length; i++) {
            assertClose(expected.get(i).asDouble(), j[i], 1e-10, "jacobian[" + i + "]");
        }
    }
}
