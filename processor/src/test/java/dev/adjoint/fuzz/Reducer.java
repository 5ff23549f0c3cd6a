package dev.adjoint.fuzz;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A small line-based reducer for a mismatching seed: deletes whole blocks (a line ending in <code>{</code> through
 * its closing <code>}</code>) and single statements from the method body, keeping each deletion that still
 * compiles and still mismatches the same way, until nothing more can go. Run it with
 * <pre>
 * mvn -B -o -pl processor -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=Reducer -Dfuzz.reduce=SEED
 * </pre>
 * ({@code -Dfuzz.points=N} as for the run that found it; several seeds separated by commas;
 * {@code -Dfuzz.reduce.kind=value|throws|compile} for other kinds of mismatch than a wrong gradient; a program
 * returning {@code double[]} is checked with {@link JacobianCheck}). The result is a starting point for minimising
 * by hand.
 */
@EnabledIfSystemProperty(named = "fuzz.reduce", matches = "-?[0-9]+(,-?[0-9]+)*")
class Reducer {

    @Test
    void reduce() {
        for (String s : System.getProperty("fuzz.reduce").split(",")) {
            reduce(Long.parseLong(s));
        }
    }

    private void reduce(long seed) {
        int points = Integer.getInteger("fuzz.points", 2);
        ProgramGenerator.Program p = ProgramGenerator.generate(seed);
        List<Object[]> at = RandomPoints.points(p.seed(), points, p::point);
        String mode = System.getProperty("fuzz.reduce.kind", "gradient");
        Predicate<String> failing = source -> fails(p, source, at, mode);
        if (!failing.test(p.source())) {
            System.out.println("[reduce] seed " + seed + " does not fail (" + mode + ")");
            return;
        }
        String reduced = reduce(p.source(), failing);
        System.out.println("[reduce] seed " + seed + " reduced to:\n" + reduced);
        Compilation c = Javac.adjoint().compile(reduced);
        if (p.vector()) {
            JacobianCheck jc = jacobianCheck(p, c, mode);
            for (Object[] a : at) {
                jc.at(a);
            }
            jc.failures().forEach(f -> System.out.println("[reduce] " + f));
            System.out.println(c.generatedSources().get(Grad.gradClassName(p.qualifiedName())));
            return;
        }
        GradientCheck gc = GradientCheck.of(Grad.of(c, p.qualifiedName(), ProgramGenerator.METHOD))
                .tolerance(FuzzRunner.TOLERANCE).valueTolerance(FuzzRunner.VALUE_TOLERANCE);
        for (Object[] a : at) {
            gc.at(a);
        }
        gc.failures().forEach(f -> System.out.println("[reduce] " + f));
        System.out.println(c.generatedSources().get(Grad.gradClassName(p.qualifiedName())));
    }

    private static JacobianCheck jacobianCheck(ProgramGenerator.Program p, Compilation c, String mode) {
        return JacobianCheck.of(c, p.qualifiedName(), ProgramGenerator.METHOD,
                p.differentiated().toArray(new String[0])).tolerance(FuzzRunner.TOLERANCE)
                .valueTolerance(mode.equals("value") ? FuzzRunner.VALUE_TOLERANCE : 1e-9).jvpFloor(FuzzRunner.JVP_FLOOR);
    }

    /** Deletes blocks and lines while {@code failing} holds. */
    static String reduce(String source, Predicate<String> failing) {
        List<String> lines = new ArrayList<>(Arrays.asList(source.split("\n", -1)));
        boolean progress = true;
        while (progress) {
            progress = false;
            int start = bodyStart(lines);
            for (int i = start; i < lines.size(); i++) {
                String t = lines.get(i).trim();
                if (t.startsWith("return ") && isLastReturn(lines, i)) {
                    continue;
                }
                if (t.equals("}") || t.startsWith("} ") || t.isEmpty() || t.startsWith("static ")
                        || t.startsWith("@")) {
                    continue;
                }
                int end = i;
                if (t.endsWith("{")) {
                    end = closing(lines, i);
                    if (end < 0) {
                        continue;
                    }
                } else if (t.endsWith(":")) {
                    continue;   // a label: goes with its loop
                }
                int from = i;
                if (i > 0 && lines.get(i - 1).trim().endsWith(":") && !lines.get(i - 1).trim().startsWith("case")) {
                    from = i - 1;   // the loop's label
                }
                List<String> candidate = new ArrayList<>(lines.subList(0, from));
                candidate.addAll(lines.subList(end + 1, lines.size()));
                if (failing.test(String.join("\n", candidate))) {
                    lines = candidate;
                    progress = true;
                    i = from - 1;
                }
            }
        }
        return String.join("\n", lines);
    }

    private static int bodyStart(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" " + ProgramGenerator.METHOD + "(") && lines.get(i).trim().startsWith("static")) {
                return i + 1;
            }
        }
        return lines.size();
    }

    private static boolean isLastReturn(List<String> lines, int i) {
        return lines.get(i).startsWith("        return");
    }

    /** The line of the <code>}</code> that ends the chain opened at line {@code i} (through else branches). */
    private static int closing(List<String> lines, int i) {
        int depth = 0;
        for (int k = i; k < lines.size(); k++) {
            String t = lines.get(k).trim();
            for (char ch : t.toCharArray()) {
                if (ch == '{') {
                    depth++;
                } else if (ch == '}') {
                    depth--;
                }
            }
            if (depth == 0 && k > i || depth == 0 && k == i && !t.endsWith("{")) {
                if (t.startsWith("} else") || t.startsWith("} while")) {
                    if (t.startsWith("} while")) {
                        return k;
                    }
                    continue;
                }
                return k;
            }
            if (depth == 1 && k > i && t.startsWith("} else")) {
                continue;
            }
        }
        return -1;
    }

    private static boolean fails(ProgramGenerator.Program p, String source, List<Object[]> at, String mode) {
        Compilation c = Javac.adjoint().compile(source);
        if (!c.succeeded()) {
            return mode.equals("compile") && c.crash() == null && c.diagnosticsIn(p.qualifiedName()).stream()
                    .noneMatch(d -> d.kind() == javax.tools.Diagnostic.Kind.ERROR && !d.message().contains("[ADJ"));
        }
        if (mode.equals("compile")) {
            return false;
        }
        if (p.vector()) {
            try {
                JacobianCheck jc = jacobianCheck(p, c, mode);
                for (Object[] a : at) {
                    for (double f : jc.f(a)) {
                        if (!Double.isFinite(f)) {
                            return false;
                        }
                    }
                    jc.at(a);
                }
                if (mode.equals("value")) {
                    return jc.failures().stream().anyMatch(s -> s.startsWith("value()"));
                }
                return jc.failures().stream().anyMatch(s -> !s.startsWith("value()"));
            } catch (Throwable t) {
                return mode.equals("throws") && !(t instanceof AssertionError);
            }
        }
        try {
            Grad g = Grad.of(c, p.qualifiedName(), ProgramGenerator.METHOD);
            GradientCheck gc = GradientCheck.of(g).tolerance(FuzzRunner.TOLERANCE)
                    .valueTolerance(mode.equals("value") ? FuzzRunner.VALUE_TOLERANCE : 1e-9);
            for (Object[] a : at) {
                double f = g.f(a);
                if (!Double.isFinite(f)) {
                    return false;
                }
                gc.at(a);
            }
            if (mode.equals("value")) {
                return gc.failures().stream().anyMatch(s -> s.startsWith("value()"));
            }
            return gc.failures().stream().anyMatch(s -> s.startsWith("∂f"));
        } catch (Throwable t) {
            return mode.equals("throws") && !(t instanceof AssertionError);
        }
    }
}
