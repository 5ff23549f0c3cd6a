package dev.adjoint.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden generated code, in the spirit of Clad's CHECK lines: for each source in {@code src/test/resources/golden},
 * the gradient method Adjoint writes (the {@code f(..., out)} overload: forward sweep, saves, reverse sweep) is
 * pinned in the {@code .expected} file beside it. Numbers are checked elsewhere; these pin what is saved, recomputed
 * and allocated, so that a change to the generator shows up as a diff a reviewer reads.
 *
 * <p>After an intended change, rewrite the expectations with {@code mvn -B verify -pl runtime,processor
 * -Dtest=GoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true} and review the diff before
 * committing it; each file's comment says what its method is there to show.
 */
class GoldenTest {
    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedGradientMethodIsTheReviewedOne(String name) throws IOException {
        String source = Files.readString(DIR.resolve(name + ".java"), StandardCharsets.UTF_8);
        Compilation c = Javac.adjoint().strict().compile(source).assertSucceeded();
        check(name, gradientMethod(c.generatedSource("golden." + name + "Grad")), ".expected", "gradient");
    }

    /** The forward-mode method beside it: what it recomputes into temporaries, and that it saves nothing. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedJvpMethodIsTheReviewedOne(String name) throws IOException {
        String source = Files.readString(DIR.resolve(name + ".java"), StandardCharsets.UTF_8);
        Compilation c = Javac.adjoint().strict().compile(source).assertSucceeded();
        String actual = method(c.generatedSource("golden." + name + "Grad"), 3);
        assertTrue(!actual.contains("tape") && !actual.contains("Tape"), "forward mode saves nothing:\n" + actual);
        check(name, actual, ".jvp.expected", "JVP");
    }

    private static void check(String name, String actual, String suffix, String what) throws IOException {
        checkAt(DIR.resolve(name + suffix), actual, what);
    }

    private static void checkAt(Path expectedFile, String actual, String what) throws IOException {
        String name = expectedFile.getFileName().toString();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(expectedFile), "no " + expectedFile + ": run with -Dgolden.update=true and review it");
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("the generated " + what + " of " + name + " changed (review, then -Dgolden.update=true):\n"
                    + diff(expected, actual));
        }
    }

    /** The diff a reviewer reads: only the changed lines, removed before added, with their line numbers. */
    @Test
    void diffShowsOnlyChangedLines() {
        assertEquals("-2: b\n+2: B\n+4: d", diff("a\nb\nc", "a\nB\nc\nd"));
        assertEquals("", diff("same\n", "same\n"));
    }

    /**
     * The gradient method that takes the reusable result (the second of the two generated methods, each marked
     * {@code @GeneratedFrom}): from its marker to its closing brace.
     */
    static String gradientMethod(String generated) {
        return method(generated, 1);
    }

    private static final Path JACOBIAN_DIR = Path.of("src", "test", "resources", "golden-jacobian");

    static Stream<String> jacobianCases() throws IOException {
        try (Stream<Path> files = Files.list(JACOBIAN_DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).sorted().toList().stream();
        }
    }

    /**
     * The Jacobian of a vector-valued method in vector mode, both ways: its rows by one forward and one reverse sweep
     * carrying every output's seed, its columns by one forward sweep carrying every input's direction; what each
     * allocates, hoists and loops over.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jacobianCases")
    void generatedJacobianSweepsAreTheReviewedOnes(String name) throws IOException {
        String source = Files.readString(JACOBIAN_DIR.resolve(name + ".java"), StandardCharsets.UTF_8);
        Compilation c = Javac.adjoint().strict().compile(source).assertSucceeded();
        String generated = c.generatedSource("golden." + name + "Grad");
        checkAt(JACOBIAN_DIR.resolve(name + ".rows.expected"), privateMethod(generated, "JacobianRows("),
                "Jacobian rows");
        checkAt(JACOBIAN_DIR.resolve(name + ".columns.expected"), privateMethod(generated, "JacobianColumns("),
                "Jacobian columns");
    }

    private static final Path ENTRY_DIR = Path.of("src", "test", "resources", "golden-entry");

    /**
     * The entry points of a recursive method ({@code golden-entry}): its pullback, which calls itself with the adjoint
     * array of its argument, and its pushforward.
     */
    @Test
    void generatedEntryPointsAreTheReviewedOnes() throws IOException {
        String source = Files.readString(ENTRY_DIR.resolve("Minors.java"), StandardCharsets.UTF_8);
        Compilation c = Javac.adjoint().strict().compile(source).assertSucceeded();
        String generated = c.generatedSource("golden.MinorsGrad");
        checkAt(ENTRY_DIR.resolve("Minors.pullback.expected"), methodFrom(generated, "    public static void detPullback("),
                "pullback");
        checkAt(ENTRY_DIR.resolve("Minors.pushforward.expected"), methodFrom(generated,
                "    public static double detPushforward("), "pushforward");
    }

    /** From the line that starts with {@code signature} to the method's closing brace. */
    private static String methodFrom(String generated, String signature) {
        List<String> lines = List.of(generated.split("\n", -1));
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith(signature)) {
            start++;
        }
        assertTrue(start < lines.size(), "no " + signature.strip() + " in\n" + generated);
        int end = start;
        while (!lines.get(end).equals("    }")) {
            end++;
        }
        return String.join("\n", lines.subList(start, end + 1)) + "\n";
    }

    private static String privateMethod(String generated, String nameEnd) {
        List<String> lines = List.of(generated.split("\n", -1));
        int start = 0;
        while (start < lines.size() && !(lines.get(start).startsWith("    private static ")
                && lines.get(start).contains(nameEnd))) {
            start++;
        }
        assertTrue(start < lines.size(), "no method ending in " + nameEnd + " in\n" + generated);
        int end = start;
        while (!lines.get(end).equals("    }")) {
            end++;
        }
        return String.join("\n", lines.subList(start, end + 1)) + "\n";
    }

    /**
     * The generated method at {@code index} among those marked {@code @GeneratedFrom}, in the order of the file: 0
     * and 1 the gradient methods, 2 and 3 the JVP methods (each time the reuse form second), 4 and 5 the pullback
     * and pushforward entry points when the method has the custom rules' signature.
     */
    static String method(String generated, int index) {
        List<String> lines = List.of(generated.split("\n", -1));
        List<Integer> markers = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("    @GeneratedFrom(")) {
                markers.add(i);
            }
        }
        // then the pullback and pushforward entry points, which the golden files of issue 9 do not pin
        assertTrue(markers.size() == 4 || markers.size() == 6, "expected four generated methods (gradient and JVP) "
                + "and maybe the two entry points in\n" + generated);
        int start = markers.get(index);
        int end = start;
        while (!lines.get(end).equals("    }")) {
            end++;
        }
        return String.join("\n", lines.subList(start, end + 1)) + "\n";
    }

    /**
     * A line diff of the two texts (longest common subsequence): {@code -} lines only expected, {@code +} lines only
     * generated, each with its line number, and no unchanged lines.
     */
    static String diff(String expected, String actual) {
        List<String> e = List.of(expected.split("\n", -1));
        List<String> a = List.of(actual.split("\n", -1));
        int[][] common = new int[e.size() + 1][a.size() + 1];
        for (int i = e.size() - 1; i >= 0; i--) {
            for (int j = a.size() - 1; j >= 0; j--) {
                common[i][j] = e.get(i).equals(a.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < e.size() || j < a.size()) {
            if (i < e.size() && j < a.size() && e.get(i).equals(a.get(j))) {
                i++;
                j++;
            } else if (j == a.size() || i < e.size() && common[i + 1][j] >= common[i][j + 1]) {
                out.add("-" + (i + 1) + ": " + e.get(i++));
            } else {
                out.add("+" + (j + 1) + ": " + a.get(j++));
            }
        }
        return String.join("\n", out);
    }
}
