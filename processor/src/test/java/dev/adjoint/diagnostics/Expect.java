package dev.adjoint.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Javac;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The assertions of the diagnostics tests: one error of an ID, at a line and column, naming the cause and ending
 * with its way out; and, for a way out that has been followed, a clean compile.
 */
final class Expect {
    private Expect() {}

    /** A class {@code p.C} importing {@code Differentiable}, with these lines as its body (they start at line 4). */
    static String cls(String... lines) {
        return "package p;\nimport dev.adjoint.Differentiable;\nclass C {\n" + String.join("\n", lines) + "\n}\n";
    }

    /** The errors carrying an ID. */
    static List<Compilation.Diag> errors(Compilation c, DiagnosticId id) {
        return c.errors().stream().filter(d -> d.message().startsWith("[" + id.name() + "] "))
                .collect(Collectors.toList());
    }

    /** {@link #one(String, DiagnosticId, int, String, String, String)} with the ID's usual way out. */
    static Compilation.Diag one(String source, DiagnosticId id, int line, String at, String detail) {
        return one(source, id, line, at, detail, id.wayOut());
    }

    /**
     * Compiles, expects exactly one error, of {@code id} (and no crash), at {@code line}, at the column of the first
     * occurrence of {@code at} on that line (null: any column), whose message names {@code detail} and ends with
     * {@code wayOut}.
     */
    static Compilation.Diag one(String source, DiagnosticId id, int line, String at, String detail, String wayOut) {
        Compilation c = Javac.adjoint().compile(source);
        assertNull(c.crash(), c::report);
        assertFalse(c.succeeded(), c::report);
        List<Compilation.Diag> found = errors(c, id);
        assertEquals(1, found.size(), () -> "expected one " + id + "\n" + c.report());
        assertEquals(1, c.errors().size(), () -> "expected one error: one cause, one error\n" + c.report());
        Compilation.Diag d = found.get(0);
        assertTrue(d.message().startsWith("[" + id.name() + "] " + id.title() + ": "), d::message);
        assertEquals(". Way out: " + wayOut + ".", d.message().substring(Math.max(0,
                d.message().indexOf(". Way out: "))), d::message);
        assertTrue(d.message().contains(detail), () -> "no '" + detail + "' in " + d.message());
        assertFalse(d.message().contains("\n"), "one line");
        assertFalse(d.message().contains("docs/"), "a jar user has no docs: the message must be complete");
        assertEquals(line, d.line(), c::report);
        assertTrue(d.column() > 0, c::report);
        if (at != null) {
            String text = source.split("\n", -1)[line - 1];
            int column = text.indexOf(at) + 1;
            assertTrue(column > 0, "no '" + at + "' on line " + line);
            assertEquals(column, d.column(), () -> "column of '" + at + "'\n" + c.report());
        }
        return d;
    }

    /**
     * The code a way out gives, as it gives it: the text after {@code lead} up to the message's final period.
     *
     * @param lead the words just before the code, e.g. {@code "fill the array with a loop: "}
     */
    static String code(Compilation.Diag d, String lead) {
        String m = d.message();
        int start = m.indexOf(lead, m.indexOf(". Way out: "));
        assertTrue(start >= 0, () -> "no '" + lead + "' in the way out of " + m);
        return m.substring(start + lead.length(), m.length() - 1);
    }

    /** The code a way out gives between {@code lead} and {@code end} (the first {@code end} after the lead). */
    static String code(Compilation.Diag d, String lead, String end) {
        String rest = code(d, lead);
        int stop = rest.indexOf(end);
        assertTrue(stop >= 0, () -> "no '" + end + "' after '" + lead + "' in " + d.message());
        return rest.substring(0, stop);
    }

    /**
     * Compiles a source rewritten as a way out says, under {@code -Xlint:all -Werror}, and expects it to compile
     * without an error or a warning, and its gradient class to be generated.
     */
    static Compilation clean(String source) {
        Compilation c = Javac.adjoint().strict().compile(source);
        assertNull(c.crash(), c::report);
        assertTrue(c.errors().isEmpty(), () -> "the way out, followed, still fails\n" + source + "\n" + c.report());
        assertTrue(c.succeeded(), c::report);
        assertFalse(c.generatedSources().isEmpty(), c::report);
        return c;
    }
}
