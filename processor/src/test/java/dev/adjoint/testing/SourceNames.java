package dev.adjoint.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the qualified name of the main top-level type of a Java source, without a parser. */
final class SourceNames {
    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.\\s]+?)\\s*;");
    private static final Pattern TYPE = Pattern.compile(
            "(?:\\b(public)\\s+)?(?:\\b(?:abstract|final|strictfp|sealed|non-sealed|static)\\s+)*"
                    + "(?:\\bclass|\\binterface|\\benum|\\brecord|@\\s*interface)\\s+([A-Za-z_$][\\w$]*)");

    private SourceNames() {}

    /**
     * The qualified name of the first public top-level type of {@code source}, or of its first top-level type.
     *
     * @throws IllegalArgumentException if the source declares no type
     */
    static String qualifiedName(String source) {
        String code = blankCommentsAndLiterals(source);
        String pkg = "";
        Matcher p = PACKAGE.matcher(code);
        if (p.find() && depthAt(code, p.start()) == 0) {
            pkg = p.group(1).replaceAll("\\s+", "");
        }
        List<String> topLevel = new ArrayList<>();
        String firstPublic = null;
        Matcher t = TYPE.matcher(code);
        while (t.find()) {
            if (depthAt(code, t.start()) != 0) {
                continue;
            }
            topLevel.add(t.group(2));
            if (t.group(1) != null && firstPublic == null) {
                firstPublic = t.group(2);
            }
        }
        if (topLevel.isEmpty()) {
            throw new IllegalArgumentException("no top-level type declared in:\n" + source);
        }
        String simple = firstPublic != null ? firstPublic : topLevel.get(0);
        return pkg.isEmpty() ? simple : pkg + "." + simple;
    }

    private static int depthAt(String code, int end) {
        int depth = 0;
        for (int i = 0; i < end; i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            }
        }
        return depth;
    }

    /** Replaces comments, string, text-block and char literals by spaces, keeping offsets. */
    static String blankCommentsAndLiterals(String s) {
        StringBuilder b = new StringBuilder(s);
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                int j = i;
                while (j < n && s.charAt(j) != '\n') {
                    b.setCharAt(j++, ' ');
                }
                i = j;
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(b, i, end);
                i = end;
            } else if (c == '"' && s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(b, i, end);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(b, i, end);
                i = end;
            } else {
                i++;
            }
        }
        return b.toString();
    }

    private static void blank(StringBuilder b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b.charAt(k) != '\n') {
                b.setCharAt(k, ' ');
            }
        }
    }
}
