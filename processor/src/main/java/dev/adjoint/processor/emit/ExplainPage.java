package dev.adjoint.processor.emit;

import dev.adjoint.processor.explain.Derivation;
import dev.adjoint.processor.explain.Formula;
import dev.adjoint.processor.ir.Pos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The explanation page of one class: a self-contained HTML file (no script, no style sheet or font fetched from
 * anywhere) with a section per explained method, in the paper's four steps and its data-flow picture as inline
 * SVG.
 */
public final class ExplainPage {
    /**
     * One method's section.
     *
     * @param gradient the method's generated gradient, for what its reverse sweep saves; null if it has none
     */
    public record Method(String name, String signature, long line, Derivation derivation,
            dev.adjoint.processor.transform.Gradient gradient) {}

    private final String className;
    private final String sourceFile;
    private final List<Method> methods = new ArrayList<>();
    private final ToLongFunction<Pos> lines;
    /** The generated class's file name and text, for pointers to the generated lines; null text for none. */
    private String generatedFile;
    private String generated;
    /** The link to the source file from the page, or null for none. */
    private String sourceHref;

    /**
     * @param className  the class explained, qualified
     * @param sourceFile its source file's name, for the links to lines
     * @param lines      the source line of a position, or -1
     */
    public ExplainPage(String className, String sourceFile, ToLongFunction<Pos> lines) {
        this.className = className;
        this.sourceFile = sourceFile;
        this.lines = lines;
    }

    /**
     * @param file the generated class's file name, beside the page ({@code NeuronGrad.java})
     * @param text its text, as written
     */
    public void generated(String file, String text) {
        this.generatedFile = file;
        this.generated = text;
    }

    /** @param href the source file, relative to the page (or absolute), for the links to source lines */
    public void sourceHref(String href) {
        this.sourceHref = href;
    }

    /** Adds a method's section. */
    public void add(Method m) {
        methods.add(m);
    }

    /** @return whether there is a section to write */
    public boolean isEmpty() {
        return methods.isEmpty();
    }

    /** @return the page */
    public String render() {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>How the derivatives of ")
                .append(esc(className)).append(" come about</title>\n<style>\n").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<h1>How the derivatives of <code>").append(esc(className))
                .append("</code> come about</h1>\n<p>Each method below is derived as Parr and Howard teach (\"The "
                        + "Matrix Calculus You Need For Deep Learning\"): (1) intermediate variables, one operation "
                        + "each; (2) their partial derivatives, by the rule that gives each; (3) the chain rule "
                        + "combining them; (4) the result after substitution and simplification. The rules are the "
                        + "ones the generated code applies. Written by Adjoint at compile time.</p>\n");
        b.append("<nav><ul>\n");
        for (Method m : methods) {
            b.append("<li><a href=\"#").append(esc(m.name())).append("\"><code>").append(esc(m.signature()))
                    .append("</code></a></li>\n");
        }
        b.append("</ul></nav>\n");
        for (Method m : methods) {
            section(b, m);
        }
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private void section(StringBuilder b, Method m) {
        Derivation d = m.derivation();
        b.append("<section id=\"").append(esc(m.name())).append("\">\n<h2><code>").append(esc(m.signature()))
                .append("</code> <small>(").append(esc(sourceFile)).append(m.line() > 0 ? ", line " + m.line() : "")
                .append(")</small></h2>\n");
        if (d.whyNot() != null && !d.locals().isEmpty()) {
            statementByStatement(b, m);
            return;
        } else if (d.whyNot() != null) {
            b.append("<p class=\"not\">Not derived in closed form: ").append(esc(d.whyNot()))
                    .append(". The generated code still computes every derivative; its comments name the rule "
                            + "each line applies.</p>\n</section>\n");
            return;
        }
        b.append("<h3>1. Intermediate variables</h3>\n<table class=\"steps\">\n");
        for (Derivation.Intermediate u : d.steps()) {
            long line = lines.applyAsLong(u.at());
            b.append("<tr><td>").append(math(u.name())).append(" = ").append(math(Formula.text(u.op())))
                    .append("</td><td class=\"where\">").append(sourceLine(line)).append("</td></tr>\n");
        }
        b.append("</table>\n<h3>2. Their partial derivatives</h3>\n<table class=\"partials\">\n");
        partialRows(b, d.steps());
        b.append("</table>\n<h3>3. The chain rule</h3>\n<p>The total derivative of each intermediate variable: the "
                + "sum, over its operands v, of ∂u/∂v · dv/dx.</p>\n<table class=\"chain\">\n");
        for (String p : d.gradient().keySet()) {
            for (Derivation.Intermediate u : d.steps()) {
                b.append("<tr><td>").append(math("d" + u.name() + "/d" + p)).append(" = ")
                        .append(math(Formula.text(u.chain().get(p)))).append("</td></tr>\n");
            }
        }
        b.append("</table>\n<h3>4. Substituted</h3>\n<p>").append(math("f = " + Formula.text(d.value())))
                .append("</p>\n<table class=\"result\">\n");
        for (Map.Entry<String, Formula> g : d.gradient().entrySet()) {
            b.append("<tr><td>").append(math("∂f/∂" + g.getKey())).append(" = ")
                    .append(math(Formula.text(g.getValue()))).append("</td></tr>\n");
        }
        b.append("</table>\n<h3>5. Data flow</h3>\n").append(svg(d)).append("<h3>6. What the reverse sweep "
                + "saves, and the kinks</h3>\n").append(saves(m)).append(kinks(d)).append("</section>\n");
    }

    /** Step 2's rows: each intermediate's partials, with the rule that gives each. */
    private static void partialRows(StringBuilder b, List<Derivation.Intermediate> steps) {
        for (Derivation.Intermediate u : steps) {
            for (Derivation.Partial p : u.partials()) {
                b.append("<tr><td>").append(math("∂" + u.name() + "/∂" + p.operand())).append(" = ")
                        .append(math(Formula.text(p.value()))).append("</td><td class=\"rule\">")
                        .append(esc(p.rule())).append(": <code>").append(esc(p.reads()))
                        .append("</code></td></tr>\n");
            }
        }
    }

    /** @return "line N", linked to the source file when there is a link */
    private String sourceLine(long line) {
        if (line <= 0) {
            return "";
        }
        return sourceHref == null ? "line " + line
                : "<a href=\"" + esc(sourceHref) + "\">" + esc(sourceFile) + "</a>, line " + line;
    }

    /**
     * A method with loops, branches or arrays: each statement derived on its own as it runs, with the reverse
     * sweep's accumulation of it and a pointer to its generated lines.
     */
    private void statementByStatement(StringBuilder b, Method m) {
        Derivation d = m.derivation();
        Map<Long, List<Long>> reverse = generatedLines(m);
        b.append("<p>Not derived in closed form: ").append(esc(d.whyNot())).append(". Each statement is derived on "
                + "its own instead, as it runs: in a loop, once per trip; in a branch, when the branch is taken. The "
                + "reverse sweep applies each statement's derivative in turn, the last run first, adding "
                + "∂t/∂v · t̄ into the adjoint v̄ of each operand v of the statement's target t.</p>\n");
        b.append("<h3>1. Intermediate variables</h3>\n<table class=\"steps\">\n");
        for (Derivation.Local l : d.locals()) {
            long line = lines.applyAsLong(l.at());
            b.append("<tr class=\"stmt\"><td colspan=\"2\">").append(math(l.target())).append(" = ")
                    .append(l.value() == null ? "<em>not derived: " + esc(l.note()) + "</em>"
                            : math(Formula.text(l.value())))
                    .append(l.where().isEmpty() ? "" : " <span class=\"when\">(" + esc(l.where()) + ")</span>")
                    .append(" <span class=\"where\">").append(sourceLine(line)).append("</span></td></tr>\n");
            for (Derivation.Intermediate u : l.steps()) {
                b.append("<tr><td class=\"u\">").append(math(u.name())).append(" = ")
                        .append(math(Formula.text(u.op()))).append("</td><td></td></tr>\n");
            }
        }
        b.append("</table>\n<h3>2. Their partial derivatives</h3>\n<table class=\"partials\">\n");
        for (Derivation.Local l : d.locals()) {
            partialRows(b, l.steps());
        }
        b.append("</table>\n<h3>3. The chain rule</h3>\n<p>For each statement, the derivative of its value (its last "
                + "intermediate variable) with respect to each operand: the sum, over the operands w of each "
                + "intermediate, of ∂u/∂w · dw/dv.</p>\n<table class=\"chain\">\n");
        for (Derivation.Local l : d.locals()) {
            if (l.steps().isEmpty()) {
                continue;
            }
            Derivation.Intermediate last = l.steps().get(l.steps().size() - 1);
            for (String v : l.local().keySet()) {
                Formula c = last.chain().get(v);
                if (c != null) {
                    b.append("<tr><td>").append(math("d" + last.name() + "/d" + v)).append(" = ")
                            .append(math(Formula.text(c))).append("</td></tr>\n");
                }
            }
        }
        b.append("</table>\n<h3>4. Substituted, per run, and how the reverse sweep accumulates it</h3>\n"
                + "<table class=\"result\">\n");
        for (Derivation.Local l : d.locals()) {
            if (l.value() == null) {
                continue;
            }
            long line = lines.applyAsLong(l.at());
            String bar = barred(l.target());
            b.append("<tr class=\"stmt\"><td colspan=\"2\">").append(math(l.target())).append(" = ")
                    .append(math(Formula.text(l.value())))
                    .append(l.where().isEmpty() ? "" : " <span class=\"when\">(" + esc(l.where()) + ")</span>")
                    .append("</td></tr>\n");
            for (Map.Entry<String, Formula> e : l.local().entrySet()) {
                String v = e.getKey();
                String partial = Formula.text(e.getValue());
                boolean simple = partial.matches("[\\p{L}\\p{N}_.\\[\\]ᵢ]+");
                String share = partial.equals("1") ? bar : partial.equals("−1") ? "−" + bar
                        : simple ? partial + "·" + bar : "(" + partial + ")·" + bar;
                b.append("<tr><td>").append(math("∂" + l.target() + "/∂" + v)).append(" = ").append(math(partial))
                        .append("</td><td class=\"rule\">reverse: ");
                if (v.equals(l.target())) {
                    b.append(partial.equals("1") ? math(bar) + " is unchanged" : math(bar + " ← " + share));
                } else {
                    b.append(math(barred(v) + " += " + share));
                }
                b.append("</td></tr>\n");
            }
            List<Long> at = reverse.getOrDefault(line, List.of());
            b.append("<tr><td colspan=\"2\" class=\"where\">");
            if (!l.accumulates() && !l.declares()) {
                b.append("then ").append(math(bar + " = 0")).append(" (the old value of ").append(math(l.target()))
                        .append(" does not reach this one). ");
            }
            if (!at.isEmpty() && generatedFile != null) {
                List<String> ls = new ArrayList<>();
                at.forEach(n -> ls.add(Long.toString(n)));
                b.append("Generated: <a href=\"").append(esc(generatedFile)).append("\">").append(esc(generatedFile))
                        .append("</a>, line").append(at.size() == 1 ? " " : "s ").append(String.join(", ", ls))
                        .append(", under the comment of source line ").append(line).append('.');
            }
            b.append("</td></tr>\n");
        }
        b.append("</table>\n<h3>5. Data flow</h3>\n<p>One node per input, per top-level statement and per "
                + "top-level loop, the loop's statements folded into it; an edge of a top-level statement is "
                + "labelled with its partial derivative.</p>\n").append(folded(d)).append("<h3>6. What the reverse "
                + "sweep saves, and the kinks</h3>\n").append(saves(m)).append(kinks(d)).append("</section>\n");
    }

    /**
     * @return for each source line, the lines of the generated gradient that carry the comment of a statement
     *     from it (in the method's reuse form, which holds both sweeps); empty when they cannot be told apart
     */
    private Map<Long, List<Long>> generatedLines(Method m) {
        Map<Long, List<Long>> found = new HashMap<>();
        if (generated == null || m.gradient() == null) {
            return found;
        }
        List<Long> sources = new ArrayList<>();
        java.util.function.Consumer<dev.adjoint.processor.ir.Core> note = c -> {
            if (c instanceof dev.adjoint.processor.ir.Core.Note n
                    && n.says() instanceof dev.adjoint.processor.ir.Core.Says.SourceOf of) {
                sources.add(lines.applyAsLong(of.stmt().pos()));
            }
        };
        walk(m.gradient().forward(), note);
        walk(m.gradient().reverse(), note);
        String[] text = generated.split("\n", -1);
        java.util.regex.Pattern header = java.util.regex.Pattern.compile("^    public static \\S+ "
                + java.util.regex.Pattern.quote(m.name()) + "\\(.*");
        java.util.regex.Pattern comment = java.util.regex.Pattern.compile(
                "^\\s*// (double )?[A-Za-z_$][\\w$]*(\\[[^\\]]*\\])* = .*");
        int start = -1;
        for (int k = 0; k < text.length && start < 0; k++) {
            if (header.matcher(text[k]).matches()) {
                // the reuse form, whose last parameter is the result to fill: its header may wrap
                int end = k;
                while (end < text.length - 1 && !text[end].endsWith("{")) {
                    end++;
                }
                if (text[end].endsWith(" out) {")) {
                    start = end;
                }
            }
        }
        if (start < 0) {
            return found;
        }
        List<Long> commented = new ArrayList<>();
        for (int k = start + 1; k < text.length && !text[k].equals("    }"); k++) {
            if (comment.matcher(text[k]).matches()) {
                commented.add((long) k + 1);
            }
        }
        if (commented.size() != sources.size()) {
            return found; // not one comment per statement: no pointers rather than wrong ones
        }
        for (int k = 0; k < sources.size(); k++) {
            found.computeIfAbsent(sources.get(k), x -> new ArrayList<>()).add(commented.get(k));
        }
        return found;
    }

    /**
     * The data flow of a method derived statement by statement: its inputs, each top-level statement, and each
     * top-level loop folded into one node that reads what its statements read from outside it and defines what
     * they assign; an edge into a top-level statement carries its partial.
     */
    private static String folded(Derivation d) {
        Map<String, String> def = new HashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, List<String[]>> edges = new LinkedHashMap<>();
        java.util.Set<String> loops = new java.util.HashSet<>();
        int node = 0;
        int k = 0;
        List<Derivation.Local> locals = d.locals();
        while (k < locals.size()) {
            Derivation.Local l = locals.get(k);
            if (l.group() < 0) {
                String id = "n" + (++node);
                List<String[]> in = new ArrayList<>();
                for (Map.Entry<String, Formula> e : l.local().entrySet()) {
                    String from = def.computeIfAbsent(root(e.getKey()), r -> input(r, labels));
                    String label = Formula.text(e.getValue());
                    in.add(new String[] {from, label.length() > 24 ? "∂" : label});
                }
                labels.put(id, l.target());
                edges.put(id, in);
                def.put(root(l.target()), id);
                k++;
                continue;
            }
            // a loop or a branch: every statement in it, folded
            int loop = l.group();
            String id = "n" + (++node);
            List<String[]> in = new ArrayList<>();
            java.util.Set<String> inside = new java.util.LinkedHashSet<>();
            java.util.Set<String> read = new java.util.HashSet<>();
            while (k < locals.size() && locals.get(k).group() == loop) {
                Derivation.Local s = locals.get(k);
                for (String v : s.local().keySet()) {
                    String r = root(v);
                    if (!inside.contains(r) && read.add(r)) {
                        in.add(new String[] {def.computeIfAbsent(r, x -> input(x, labels)), ""});
                    }
                }
                inside.add(root(s.target()));
                k++;
            }
            labels.put(id, d.groups().get(loop).label());
            loops.add(id);
            edges.put(id, in);
            for (String w : inside) {
                def.put(w, id);
            }
        }
        return draw(labels, edges, loops);
    }

    private static String input(String name, Map<String, String> labels) {
        String id = "in:" + name;
        labels.putIfAbsent(id, name);
        return id;
    }

    /** @return an operand's adjoint: x̄, x̄[i] */
    private static String barred(String operand) {
        String r = root(operand);
        return r + "̄" + operand.substring(r.length());
    }

    /** @return the variable an operand reads: {@code x} for {@code x[i]} */
    private static String root(String operand) {
        int bracket = operand.indexOf('[');
        return bracket < 0 ? operand : operand.substring(0, bracket);
    }

    /** What the generated reverse sweep saves, read from its IR: the saves and the reason each is recorded. */
    private static String saves(Method m) {
        if (m.gradient() == null) {
            return "<p>This method has no generated gradient here.</p>\n";
        }
        List<String> said = new ArrayList<>();
        int[] pushes = {0};
        walk(m.gradient().forward(), c -> {
            if (c instanceof dev.adjoint.processor.ir.Core.Note n
                    && n.says() instanceof dev.adjoint.processor.ir.Core.Says.Saved saved) {
                List<String> names = new ArrayList<>();
                saved.syms().forEach(x -> names.add(m.gradient().symbols().name(x)));
                said.add("<li><code>" + esc(String.join(", ", names)) + "</code>: locals of a block (a loop's trip) "
                        + "that the reverse sweep reads, saved when the block ends, because the next trip overwrites "
                        + "them (the to-be-recorded analysis)</li>");
            } else if (c instanceof dev.adjoint.processor.ir.Core.Save) {
                pushes[0]++;
            }
        });
        if (pushes[0] == 0) {
            return "<p>Nothing: every value a rule reads is still in its variable when the reverse sweep reaches "
                    + "it.</p>\n";
        }
        return "<p>The forward sweep pushes " + pushes[0] + " value" + (pushes[0] == 1 ? "" : "s")
                + " onto the tape (per run of the statement that pushes it):</p>\n<ul>\n" + String.join("\n", said)
                + (said.isEmpty() ? "<li>old values that an assignment overwrites and the reverse sweep reads</li>"
                        : "") + "\n</ul>\n";
    }

    private static void walk(dev.adjoint.processor.ir.Core c,
            java.util.function.Consumer<dev.adjoint.processor.ir.Core> action) {
        action.accept(c);
        if (c instanceof dev.adjoint.processor.ir.Core.Block b) {
            b.stmts().forEach(x -> walk(x, action));
        } else if (c instanceof dev.adjoint.processor.ir.Core.If i) {
            walk(i.then(), action);
            walk(i.otherwise(), action);
        } else if (c instanceof dev.adjoint.processor.ir.Core.For f) {
            walk(f.body(), action);
        } else if (c instanceof dev.adjoint.processor.ir.Core.While w) {
            walk(w.preCond(), action);
            walk(w.body(), action);
            walk(w.update(), action);
        } else if (c instanceof dev.adjoint.processor.ir.Core.Switch s) {
            s.cases().forEach(x -> walk(x, action));
        }
    }

    /** The kink conventions the derivation used: max(0, z) has derivative 0 at z = 0, as the paper takes it. */
    private static String kinks(Derivation d) {
        boolean kink = false;
        List<Derivation.Intermediate> all = new ArrayList<>(d.steps());
        d.locals().forEach(l -> all.addAll(l.steps()));
        for (Derivation.Intermediate u : all) {
            for (Derivation.Partial p : u.partials()) {
                kink |= p.value() instanceof Formula.Cases; // a partial that is one value on each side of a kink
            }
        }
        return kink ? "<p>Kinks: <span class=\"math\">max(0, <var>z</var>)</span> has no derivative at "
                + "<span class=\"math\"><var>z</var> = 0</span>; as the paper does, its derivative there is taken "
                + "as 0 (1 where <span class=\"math\"><var>z</var> &gt; 0</span>, 0 elsewhere), in the generated code "
                + "too.</p>\n" : "";
    }

    /**
     * The data-flow graph, inputs on the left, the result on the right: one node per input and per intermediate
     * variable, each edge labelled with its partial derivative. Nodes are laid out in columns by their depth.
     */
    private static String svg(Derivation d) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, List<String[]>> edges = new LinkedHashMap<>();
        for (Derivation.Intermediate u : d.steps()) {
            List<String[]> in = new ArrayList<>();
            for (Derivation.Partial p : u.partials()) {
                labels.putIfAbsent(p.operand(), p.operand());
                in.add(new String[] {p.operand(), Formula.text(p.value())});
            }
            labels.put(u.name(), u.name());
            edges.put(u.name(), in);
        }
        return draw(labels, edges, java.util.Set.of());
    }

    /**
     * Draws a data-flow graph, inputs on the left, the result on the right, nodes in columns by their depth.
     *
     * @param labels every node's label, by id
     * @param edges  for each defined node, in order, its incoming edges: the source's id and the edge's label
     * @param loops  the nodes that are folded loops, drawn as boxes
     */
    private static String draw(Map<String, String> labels, Map<String, List<String[]>> edges,
            java.util.Set<String> loops) {
        // a defined node one column right of its deepest defined source; an input in the column just left of its
        // first use, so that its edge is short
        Map<String, Integer> depth = new LinkedHashMap<>();
        Map<String, Integer> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, List<String[]>> e : edges.entrySet()) {
            int deep = 1;
            for (String[] in : e.getValue()) {
                if (depth.containsKey(in[0])) {
                    deep = Math.max(deep, depth.get(in[0]) + 1);
                }
            }
            depth.put(e.getKey(), deep);
            for (String[] in : e.getValue()) {
                if (!edges.containsKey(in[0])) {
                    inputs.merge(in[0], deep - 1, Math::min);
                }
            }
        }
        Map<String, Integer> laid = new LinkedHashMap<>(inputs);
        laid.putAll(depth);
        Map<Integer, Integer> rows = new HashMap<>();
        Map<String, int[]> at = new LinkedHashMap<>();
        int first = laid.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        for (Map.Entry<String, Integer> e : laid.entrySet()) {
            int row = rows.merge(e.getValue(), 1, Integer::sum) - 1;
            at.put(e.getKey(), new int[] {60 + 170 * (e.getValue() - first), 70 + 80 * row});
        }
        int width = 80;
        int height = 80;
        for (int[] p : at.values()) {
            width = Math.max(width, p[0] + 100);
            height = Math.max(height, p[1] + 60);
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg class=\"dataflow\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"data flow from the inputs to the result\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" "
                        + "markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\"/>"
                        + "</marker></defs>\n");
        for (Map.Entry<String, List<String[]>> e : edges.entrySet()) {
            int[] to = at.get(e.getKey());
            for (String[] edge : e.getValue()) {
                int[] from = at.get(edge[0]);
                // an edge that skips a column arcs over the nodes between
                int skipped = Math.max(0, (to[0] - from[0]) / 170 - 1);
                int midX = (from[0] + to[0]) / 2;
                int midY = (from[1] + to[1]) / 2 - 28 * skipped;
                int fromEdge = loops.contains(edge[0]) ? 50 : 26;
                int toEdge = loops.contains(e.getKey()) ? 50 : 26;
                s.append("<g class=\"edge\"><path d=\"M ").append(from[0] + fromEdge).append(' ').append(from[1])
                        .append(" Q ").append(midX).append(' ').append(midY - 28 * skipped).append(' ')
                        .append(to[0] - toEdge).append(' ').append(to[1])
                        .append("\" marker-end=\"url(#arrow)\"/><text x=\"").append(midX).append("\" y=\"")
                        .append(midY - 6).append("\">").append(esc(edge[1])).append("</text></g>\n");
            }
        }
        for (Map.Entry<String, int[]> e : at.entrySet()) {
            boolean input = !edges.containsKey(e.getKey());
            boolean loop = loops.contains(e.getKey());
            int[] p = e.getValue();
            String label = labels.getOrDefault(e.getKey(), e.getKey());
            s.append("<g class=\"node ").append(input ? "input" : loop ? "loop" : "intermediate")
                    .append("\" data-name=\"").append(esc(label)).append("\">");
            if (loop) {
                s.append("<rect x=\"").append(p[0] - 50).append("\" y=\"").append(p[1] - 18)
                        .append("\" width=\"100\" height=\"36\" rx=\"6\"/>");
            } else {
                s.append("<ellipse cx=\"").append(p[0]).append("\" cy=\"").append(p[1])
                        .append("\" rx=\"26\" ry=\"18\"/>");
            }
            s.append("<text x=\"").append(p[0]).append("\" y=\"").append(p[1] + 5).append("\">").append(esc(label))
                    .append("</text></g>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** A formula's text as HTML: names in italics, the rest as it is. */
    private static String math(String text) {
        StringBuilder b = new StringBuilder("<span class=\"math\">");
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isLetter(c) && c != '∂') {
                int j = i;
                while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)))) {
                    j++;
                }
                String word = text.substring(i, j);
                boolean function = j < text.length() && text.charAt(j) == '(';
                b.append(function ? esc(word) : "<var>" + esc(word) + "</var>");
                i = j;
            } else {
                b.append(esc(String.valueOf(c)));
                i++;
            }
        }
        return b.append("</span>").toString();
    }

    private static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String STYLE = """
            body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
                   color: #222; line-height: 1.5; }
            code { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.9em; }
            h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; margin-top: 2.5rem; }
            h2 small { font-weight: normal; color: #666; font-size: 0.7em; }
            table { border-collapse: collapse; margin: 0.5rem 0; }
            td { padding: 0.2rem 1rem 0.2rem 0; vertical-align: top; }
            td.where, td.rule { color: #666; font-size: 0.9em; }
            .math var { font-style: italic; }
            .not { color: #844; }
            svg.dataflow { border: 1px solid #ddd; background: #fcfcfc; max-width: 100%; height: auto; }
            svg.dataflow ellipse, svg.dataflow rect { fill: #eef3fb; stroke: #3a5a8c; }
            svg.dataflow .loop rect { fill: #eef7ee; stroke: #3a7a4a; }
            tr.stmt td { padding-top: 0.6rem; }
            td.u { padding-left: 1.5rem; }
            .when { color: #555; font-style: italic; }
            svg.dataflow .input ellipse { fill: #fdf3e1; stroke: #a0702a; }
            svg.dataflow text { font-family: Georgia, serif; font-size: 13px; text-anchor: middle; }
            svg.dataflow path { stroke: #555; fill: none; }
            svg.dataflow marker path { fill: #555; }
            svg.dataflow .edge text { fill: #1d5e2f; font-size: 12px; }
            """;
}
