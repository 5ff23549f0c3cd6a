package dev.adjoint.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Measurements;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * The CI range has programs with generated helpers, in the shares the generator aims at, and f calls them from
     * the places people do: in loop conditions, on the right of &&, in ?:, into array elements.
     */
    @Test
    void generatorWritesHelpersAndCallsThem() {
        int helpers = 0;
        int calls = 0;
        int params = 0;
        int recursive = 0;
        int writes = 0;
        int other = 0;
        int loopConditions = 0;
        int rightOfAnd = 0;
        int arms = 0;
        int elementWrites = 0;
        int activeRecursive = 0;
        Pattern declared = Pattern.compile("static (?:double\\[\\]|double|int) (\\w+)\\(");
        for (long seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) {
            ProgramGenerator.Program p = ProgramGenerator.generate(seed);
            ProgramGenerator.Calls c = p.calls();
            helpers += c.helpers() > 0 ? 1 : 0;
            calls += c.calls() > 0 ? 1 : 0;
            params += c.paramCalls() > 0 ? 1 : 0;
            recursive += c.recursiveCalls() > 0 ? 1 : 0;
            activeRecursive += c.activeRecursiveCalls() > 0 ? 1 : 0;
            writes += c.writeCalls() > 0 ? 1 : 0;
            other += c.inOtherClass() > 0 ? 1 : 0;
            if (c.helpers() == 0) {
                assertEquals(0, c.calls(), p::source);
                continue;
            }
            List<String> names = new ArrayList<>();
            Matcher m = declared.matcher(p.source());
            while (m.find()) {
                if (!List.of("f", "weight", "wrap", "bump").contains(m.group(1))) {
                    names.add(Pattern.quote(m.group(1)));
                }
            }
            assertEquals(c.helpers(), names.size(), p::source);
            String call = "(?:\\w+\\.)?(?:" + String.join("|", names) + ")\\(";
            // f's body: from its signature to the first line that closes a method
            String source = p.source();
            int from = source.indexOf(" " + ProgramGenerator.METHOD + "(");
            String body = source.substring(from, source.indexOf("\n    }\n", from));
            loopConditions += found("(?m)^\\s*(?:while|} while|for) \\(.*" + call, body);
            rightOfAnd += found("&&[^;{]*" + call, body);
            arms += found("\\?[^;{]*" + call, body);
            elementWrites += found("(?m)^\\s*[\\w.]+\\[[^\\n]*\\] [-+*/]?= .*" + call, body);
        }
        String shares = String.format("of %d programs: helpers %d, f calls them %d, naming a differentiated "
                + "parameter %d, recursive %d (with an active argument %d), writing into an array %d, second class "
                + "%d; calls in loop conditions %d, right of && %d, after ? %d, into array elements %d", COUNT, helpers,
                calls, params, recursive, activeRecursive, writes, other, loopConditions, rightOfAnd, arms,
                elementWrites);
        Measurements.record("[fuzz] generator: " + shares);
        assertTrue(helpers > 0.4 * COUNT && helpers < 0.6 * COUNT, shares);
        assertTrue(calls > 0.95 * helpers, shares);
        assertTrue(params > 0.3 * COUNT, shares);
        assertTrue(recursive > 0.05 * COUNT, shares);
        // recursion through differentiated arguments, by the helper's generated pullback and pushforward
        assertTrue(activeRecursive > 0.6 * recursive, shares);
        assertTrue(writes > 0.05 * COUNT, shares);
        assertTrue(other > 0.15 * COUNT, shares);
        assertTrue(loopConditions > 0.05 * COUNT, shares);
        assertTrue(rightOfAnd > 0.04 * COUNT, shares);
        assertTrue(arms > 0.05 * COUNT, shares);
        assertTrue(elementWrites > 0.08 * COUNT, shares);
    }

    /**
     * The CI range has programs with switches, about 2 in 5 ({@link ProgramGenerator#hasSwitches}), and among them
     * every form the processor supports: colon statements with and without fall-through, early breaks, arrow
     * statements, default anywhere or missing, switch expressions (arrow values, blocks with yield, colon cases with
     * yield) as a declaration's, an assignment's and a return's value, in loops with continue and break of the loop;
     * on the selectors and in the places people write them. The forms the generator says it wrote are in the source.
     */
    @Test
    void generatorWritesSwitchesOfEachForm() {
        java.util.Map<ProgramGenerator.SwitchForm, Integer> counts =
                new java.util.EnumMap<>(ProgramGenerator.SwitchForm.class);
        int switchPrograms = 0;
        int withSwitches = 0;
        for (long seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) {
            ProgramGenerator.Program p = ProgramGenerator.generate(seed);
            ProgramGenerator.Switches s = p.switches();
            String src = p.source();
            if (!ProgramGenerator.hasSwitches(seed)) {
                assertEquals(0, s.count(), src);
                assertTrue(!src.contains("switch (") && !src.contains("yield "), src);
                continue;
            }
            switchPrograms++;
            withSwitches += s.count() > 0 ? 1 : 0;
            assertEquals(s.count() > 0, src.contains("switch ("), src);
            for (ProgramGenerator.SwitchForm f : s.forms()) {
                counts.merge(f, 1, Integer::sum);
            }
            // what the forms say is there
            if (s.forms().contains(ProgramGenerator.SwitchForm.ARROW)
                    || s.forms().contains(ProgramGenerator.SwitchForm.EXPR_ARROW_VALUE)) {
                assertTrue(Pattern.compile("(?m)^\\s*(case [^\\n]*|default) -> ").matcher(src).find(), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.COLON)) {
                assertTrue(Pattern.compile("(?m)^\\s*(case [^\\n]*|default):$").matcher(src).find(), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.EXPR_BLOCK_YIELD)
                    || s.forms().contains(ProgramGenerator.SwitchForm.EXPR_COLON_YIELD)) {
                assertTrue(src.contains("yield "), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.EXPR_DECLARATION)) {
                assertTrue(Pattern.compile("(?:double|var) \\w+ = switch \\(").matcher(src).find(), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.EXPR_ASSIGNMENT)) {
                assertTrue(Pattern.compile("(?m)^\\s*[\\w\\[\\]]+ [-+*]?= switch \\(").matcher(src).find(), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.EXPR_RETURN)) {
                assertTrue(src.contains("return switch ("), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.SELECTOR_FLOOR_MOD)) {
                assertTrue(src.contains("switch (Math.floorMod(") || src.contains("switch (floorMod(")
                        || src.contains("switch (StrictMath.floorMod("), src);
            }
            if (s.forms().contains(ProgramGenerator.SwitchForm.SELECTOR_CAST)) {
                assertTrue(src.contains("switch ((int) "), src);
            }
        }
        StringBuilder shares = new StringBuilder(String.format("of %d programs: %d may have switches, %d have",
                COUNT, switchPrograms, withSwitches));
        for (ProgramGenerator.SwitchForm f : ProgramGenerator.SwitchForm.values()) {
            shares.append(", ").append(f.name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                    .append(counts.getOrDefault(f, 0));
        }
        Measurements.record("[fuzz] generator: " + shares);
        assertTrue(switchPrograms > 0.3 * COUNT && switchPrograms < 0.5 * COUNT, shares::toString);
        assertTrue(withSwitches > 0.8 * switchPrograms, shares::toString);
        for (ProgramGenerator.SwitchForm f : ProgramGenerator.SwitchForm.values()) {
            // every form in at least 1% of the programs (the commonest in far more)
            assertTrue(counts.getOrDefault(f, 0) >= 0.01 * COUNT, () -> f + ": " + shares);
        }
    }

    /** 1 if the pattern is found in the text, else 0. */
    private static int found(String pattern, String text) {
        return Pattern.compile(pattern).matcher(text).find() ? 1 : 0;
    }

    @Test
    void fixedSeedRangeMatchesFiniteDifferences() {
        FuzzRunner.Outcome o = FuzzRunner.fromProperties(2).run(FIRST_SEED, COUNT);
        Measurements.record("[fuzz] " + o.summary());
        Measurements.record("[fuzz] " + o.details());
        Measurements.record("[fuzz] " + o.calls());
        Measurements.record("[fuzz] " + o.switches());
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
