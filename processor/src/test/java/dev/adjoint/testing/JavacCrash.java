package dev.adjoint.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * javac's own crash report, read from what a compile printed (see {@link Compilation#output()}).
 *
 * <p>When javac itself throws (a bug in javac, or in code running inside it), {@code JavacTaskImpl} catches the
 * exception, prints "An exception has occurred in the compiler (VERSION). Please file a bug ..." and the stack
 * trace to its log writer, and {@code call()} returns false: no exception reaches the caller and no diagnostic is
 * reported. (It stays silent if errors were reported before the crash.) The log writer is the {@code Writer} given
 * to {@code JavaCompiler.getTask}, or {@code System.err} when that is null; {@link Javac} always gives one, so such
 * a report ends up here instead of in the build log.
 *
 * @param version   the compiler version in the banner, e.g. {@code 17.0.15}
 * @param exception the exception line, e.g. {@code java.lang.StackOverflowError} or
 *                  {@code java.lang.AssertionError: message}
 * @param frames    the {@code at ...} lines of the trace (causes included), without {@code "at "}, in order
 * @param truncated whether the trace was cut by the JVM (a deep stack, as in a StackOverflowError, keeps only its
 *                  top 1,024 frames), so that the frames near the thread's start are unknown
 */
public record JavacCrash(String version, String exception, List<String> frames, boolean truncated) {
    /** The first words of javac's crash banner (javac's {@code msg.bug}, in English). */
    public static final String BANNER = "An exception has occurred in the compiler";

    /** The package prefix of our own code: a frame there means the crash is ours, not javac's. */
    public static final String OUR_PACKAGE = "dev.adjoint.";

    /** The JVM's default {@code -XX:MaxJavaStackTraceDepth}. */
    static final int DEFAULT_MAX_DEPTH = 1024;

    private static final Pattern VERSION = Pattern.compile(Pattern.quote(BANNER) + " \\(([^)]*)\\)");
    private static final Pattern FRAME = Pattern.compile("^\\s+at (.+)$");

    public JavacCrash {
        frames = List.copyOf(frames);
    }

    /**
     * Reads javac's crash report from a compile's output.
     *
     * @return the crash, or null if the output holds no crash banner
     */
    public static JavacCrash parse(String output) {
        int at = output.indexOf(BANNER);
        if (at < 0) {
            return null;
        }
        Matcher v = VERSION.matcher(output).region(at, output.length());
        String version = v.lookingAt() ? v.group(1) : "";
        List<String> lines = output.substring(at).lines().toList();
        String exception = lines.size() > 1 ? lines.get(1).trim() : "";
        List<String> frames = new ArrayList<>();
        int outerFrames = 0;
        boolean inCause = false;
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            Matcher m = FRAME.matcher(line);
            if (m.matches()) {
                frames.add(m.group(1).trim());
                outerFrames += inCause ? 0 : 1;
            } else if (line.startsWith("Caused by: ")) {
                inCause = true;
            }
        }
        // the JVM keeps only the top MaxJavaStackTraceDepth frames of a stack (1024 by default)
        boolean truncated = outerFrames >= DEFAULT_MAX_DEPTH;
        return new JavacCrash(version, exception, frames, truncated);
    }

    /** The frames in our own code ({@value #OUR_PACKAGE}*), e.g. the processor's or the harness's. */
    public List<String> ourFrames() {
        List<String> ours = new ArrayList<>();
        for (String frame : frames) {
            if (className(frame).startsWith(OUR_PACKAGE)) {
                ours.add(frame);
            }
        }
        return List.copyOf(ours);
    }

    /** Whether our code is on the crash's stack: then the crash is our bug, not javac's. */
    public boolean inOurCode() {
        return !ourFrames().isEmpty();
    }

    /** The exception's class name, e.g. {@code java.lang.StackOverflowError}. */
    public String exceptionClass() {
        int colon = exception.indexOf(':');
        return (colon < 0 ? exception : exception.substring(0, colon)).trim();
    }

    /** One line: the exception and where it was thrown (the first frame past the JDK's assertion helpers). */
    public String summary() {
        String where = frames.stream()
                .filter(f -> !className(f).startsWith("java.") && !className(f).endsWith("javac.util.Assert"))
                .findFirst().orElse(frames.isEmpty() ? "?" : frames.get(0));
        return String.format(Locale.ROOT, "javac %s crashed: %s at %s%s", version, exception, where,
                truncated ? " (trace truncated)" : "");
    }

    /** The class of a frame such as {@code jdk.compiler/com.sun.tools.javac.comp.Attr.attribTree(Attr.java:675)}. */
    static String className(String frame) {
        String f = frame;
        int paren = f.indexOf('(');
        if (paren >= 0) {
            f = f.substring(0, paren);
        }
        int slash = f.lastIndexOf('/');   // a module (and maybe a class loader) before the class
        if (slash >= 0) {
            f = f.substring(slash + 1);
        }
        int dot = f.lastIndexOf('.');     // the method after the class
        return dot < 0 ? f : f.substring(0, dot);
    }
}
