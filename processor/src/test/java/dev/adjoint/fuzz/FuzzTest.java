package dev.adjoint.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Measurements;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing in CI: a fixed range of generated programs, each compiled with the processor and its gradient
 * checked against finite differences (see {@link FuzzRunner}). Fails on any mismatch, printing the seed, the program
 * and what went wrong; {@code -Dfuzz.seed=S -Dfuzz.count=1 -Dfuzz.soak=true -Dtest=SoakTest} replays one seed.
 */
class FuzzTest {
    /** The first seed of the CI range. */
    static final long FIRST_SEED = 1;
    /** Programs per CI run. */
    static final int COUNT = 1000;

    @Test
    void generatorIsDeterministic() {
        for (long seed = -3; seed < 40; seed++) {
            assertEquals(ProgramGenerator.generate(seed).source(), ProgramGenerator.generate(seed).source());
        }
    }

    @Test
    void fixedSeedRangeMatchesFiniteDifferences() {
        FuzzRunner.Outcome o = FuzzRunner.fromProperties(2).run(FIRST_SEED, COUNT);
        Measurements.record("[fuzz] " + o.summary());
        Measurements.record("[fuzz] " + o.details());
        List<FuzzRunner.Mismatch> ms = o.mismatches();
        if (!ms.isEmpty()) {
            StringBuilder b = new StringBuilder(o.summary()).append('\n');
            ms.stream().sorted((x, y) -> Long.compare(x.seed(), y.seed())).limit(5)
                    .forEach(m -> b.append(m.describe()));
            b.append("seeds: ");
            ms.forEach(m -> b.append(m.seed()).append(' '));
            throw new AssertionError(b.toString());
        }
        assertEquals(COUNT, o.programs());
        // the generator must stay inside the domain where finite differences mean something
        assertTrue(o.skipped() < 0.05 * (o.compared() + o.skipped()), o::details);
        assertTrue(o.discardedPoints() < 0.02 * o.points(), o::details);
    }
}
