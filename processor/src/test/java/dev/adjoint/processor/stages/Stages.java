package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.Differentiable;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.Expand;
import dev.adjoint.processor.analysis.Tbr;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.lower.CoreWalk;
import dev.adjoint.processor.lower.Lowering;
import dev.adjoint.processor.parse.Parser;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * What the stage tests share: a parse of a small method (the parser run by javac over an in-memory source, as
 * {@code parse.ParserTest} does), the stages after it run the way {@code Pipeline} runs them, a compact rendering of
 * lowered IR for assertions, and queries over it.
 */
final class Stages {
    private Stages() {}

    /** An error reported by a stage. */
    record Reported(DiagnosticId id, Pos pos, String detail, String wayOut) {}

    /** Collects what a stage reports. */
    static final class Collected implements Diagnostics {
        final List<Reported> errors = new ArrayList<>();

        @Override
        public void error(DiagnosticId id, Pos pos, String detail, String wayOut) {
            errors.add(new Reported(id, pos, detail, wayOut));
        }

        @Override
        public int errorCount() {
            return errors.size();
        }
    }

    // ------------------------------------------------------------------ parse

    /** Parses the {@code @Differentiable} methods of {@code class S { ... }} with the given members. */
    static Map<String, MethodIR> parseMembers(String members) {
        String source = "import dev.adjoint.Differentiable;\nclass S {\n" + members + "\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///S.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classpath = new File(Differentiable.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).getPath();
        Map<String, MethodIR> methods = new LinkedHashMap<>();
        Collected parseErrors = new Collected();
        AbstractProcessor processor = new AbstractProcessor() {
            @Override
            public Set<String> getSupportedAnnotationTypes() {
                return Set.of(Differentiable.class.getName());
            }

            @Override
            public SourceVersion getSupportedSourceVersion() {
                return SourceVersion.latestSupported();
            }

            @Override
            public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
                Trees trees = Trees.instance(processingEnv);
                Parser parser = new Parser(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), trees);
                for (Element e : round.getElementsAnnotatedWith(Differentiable.class)) {
                    ExecutableElement method = (ExecutableElement) e;
                    TreePath path = trees.getPath(method);
                    CompilationUnitTree unit = path.getCompilationUnit();
                    methods.put(method.getSimpleName().toString(),
                            parser.parse(method, (MethodTree) path.getLeaf(), unit, parseErrors));
                }
                return false;
            }
        };
        StringWriter output = new StringWriter();
        JavaCompiler.CompilationTask task = compiler.getTask(output, null, collector,
                List.of("-proc:only", "-classpath", classpath), null, List.of(file));
        task.setProcessors(List.of(processor));
        task.call();
        assertEquals(List.of(), collector.getDiagnostics().stream()
                .filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR).map(d -> d.getMessage(null)).toList(),
                "javac reported errors for:\n" + source);
        assertEquals(List.of(), parseErrors.errors, "the parser reported errors for:\n" + source);
        return methods;
    }

    /** @return the IR of the one method {@code f} declared by {@code members} */
    static MethodIR parse(String members) {
        MethodIR f = parseMembers(members).get("f");
        assertNotNull(f, "no method f in:\n" + members);
        return f;
    }

    // ------------------------------------------------------------------ the stages, as Pipeline runs them

    /** Everything the analysis stages compute for a method. */
    record Analysed(MethodIR method, Lowering.Lowered lowered, Activity firstActivity, Core.Block body,
            Activity activity, Tbr tbr, List<Reported> errors) {}

    /**
     * Lowers and analyses a method: activity (its checks reported), Expand, activity again on the expanded body
     * and the to-be-recorded analysis, as {@code Pipeline.differentiate} does.
     */
    static Analysed analyse(MethodIR method) {
        Lowering.Lowered lowered = Lowering.lower(method);
        Collected diags = new Collected();
        Activity first = Activity.analyse(lowered.body(), method.wrt(), method.params(), lowered.result(), diags);
        Expand.Expanded expanded = Expand.expand(lowered.body(), first, lowered.symbols());
        Activity activity = Activity.analyse(expanded.body(), method.wrt(), method.params(), lowered.result(),
                Diagnostics.NONE);
        Tbr tbr = Tbr.analyse(expanded.body(), activity);
        return new Analysed(method, lowered, first, expanded.body(), activity, tbr, diags.errors);
    }

    // ------------------------------------------------------------------ queries

    /** @return every statement of {@code body} (nested ones included, in order) that {@code p} accepts */
    static List<Core> all(Core body, Predicate<Core> p) {
        List<Core> out = new ArrayList<>();
        CoreWalk.forEach(body, c -> {
            if (p.test(c)) {
                out.add(c);
            }
        });
        return out;
    }

    /** @return the one statement of {@code body} that {@code p} accepts */
    static <T extends Core> T one(Core body, Class<T> kind, Predicate<T> p) {
        List<Core> found = all(body, c -> kind.isInstance(c) && p.test(kind.cast(c)));
        assertEquals(1, found.size(), () -> "not exactly one " + kind.getSimpleName() + " in:\n" + show(body));
        return kind.cast(found.get(0));
    }

    /** @return the one assignment in {@code body} rendered as {@code text} */
    static Core.Assign assignment(Core body, String text) {
        return one(body, Core.Assign.class, a -> show(a).equals(List.of(text)));
    }

    /** @return the symbol declared (or the counted loop's index) named {@code name} in {@code body}, or a parameter */
    static Sym sym(Analysed a, String name) {
        for (Sym p : a.method().params()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        List<Sym> found = new ArrayList<>();
        CoreWalk.forEach(a.body(), c -> CoreWalk.writes(c).stream()
                .filter(s -> s.name().equals(name) && !found.contains(s)).forEach(found::add));
        assertEquals(1, found.size(), () -> "not exactly one variable " + name + " in:\n" + show(a.body()));
        return found.get(0);
    }

    // ------------------------------------------------------------------ rendering

    /** @return lowered IR as lines of Java-like text, two spaces per level of nesting */
    static List<String> show(Core c) {
        List<String> out = new ArrayList<>();
        show(c, "", out);
        return out;
    }

    /** @return the statements of a block, as {@link #show(Core)} renders them, without the braces */
    static List<String> showStmts(Core.Block b) {
        List<String> out = new ArrayList<>();
        b.stmts().forEach(s -> show(s, "", out));
        return out;
    }

    private static void show(Core c, String indent, List<String> out) {
        c.accept(new Core.PrimalVisitor<Void>() {
            @Override
            public Void visitBlock(Core.Block b) {
                out.add(indent + "{");
                b.stmts().forEach(s -> show(s, indent + "  ", out));
                out.add(indent + "}");
                return null;
            }

            @Override
            public Void visitDeclare(Core.Declare d) {
                out.add(indent + d.sym().type().java() + " " + d.sym().name() + " = " + show(d.init()));
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                out.add(indent + show(a.target()) + " = " + show(a.value()));
                return null;
            }

            @Override
            public Void visitEval(Core.Eval e) {
                out.add(indent + show(e.call()));
                return null;
            }

            @Override
            public Void visitIf(Core.If i) {
                out.add(indent + "if (" + show(i.cond()) + ") {");
                i.then().stmts().forEach(s -> show(s, indent + "  ", out));
                if (!i.otherwise().stmts().isEmpty()) {
                    out.add(indent + "} else {");
                    i.otherwise().stmts().forEach(s -> show(s, indent + "  ", out));
                }
                out.add(indent + "}");
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                out.add(indent + "for (" + f.index().type().java() + " " + f.index().name() + " = " + show(f.from())
                        + "; " + f.index().name() + " " + f.cmp().symbol + " " + show(f.bound()) + "; "
                        + f.index().name() + (f.step() > 0 ? "++" : "--") + ") {");
                f.body().stmts().forEach(s -> show(s, indent + "  ", out));
                out.add(indent + "}");
                return null;
            }

            @Override
            public Void visitWhile(Core.While w) {
                out.add(indent + (w.testFirst() ? "while" : "do-while") + " (" + show(w.cond()) + ") {");
                section("pre:", w.preCond());
                section("body:", w.body());
                section("update:", w.update());
                out.add(indent + "}");
                return null;
            }

            private void section(String name, Core.Block b) {
                if (!b.stmts().isEmpty()) {
                    out.add(indent + " " + name);
                    b.stmts().forEach(s -> show(s, indent + "  ", out));
                }
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                out.add(indent + "throw " + t.source());
                return null;
            }
        });
    }

    /** @return an expression as Java-like text, every compound operand parenthesized */
    static String show(Expr e) {
        return e.accept(new Expr.Visitor<String>() {
            @Override
            public String visitLit(Expr.Lit l) {
                return l.text();
            }

            @Override
            public String visitVar(Expr.Var v) {
                return v.sym().name();
            }

            @Override
            public String visitStaticField(Expr.StaticField f) {
                return f.owner() + "." + f.name();
            }

            @Override
            public String visitArrayLoad(Expr.ArrayLoad a) {
                return operand(a.array()) + "[" + show(a.index()) + "]";
            }

            @Override
            public String visitLength(Expr.Length l) {
                return operand(l.array()) + ".length";
            }

            @Override
            public String visitUnary(Expr.Unary u) {
                return u.op().symbol + operand(u.operand());
            }

            @Override
            public String visitBinary(Expr.Binary b) {
                return operand(b.left()) + " " + b.op().symbol + " " + operand(b.right());
            }

            @Override
            public String visitCond(Expr.Cond c) {
                return operand(c.cond()) + " ? " + operand(c.then()) + " : " + operand(c.otherwise());
            }

            @Override
            public String visitCast(Expr.Cast c) {
                return "(" + c.type().java() + ") " + operand(c.operand());
            }

            @Override
            public String visitMathCall(Expr.MathCall m) {
                return m.owner().substring(m.owner().lastIndexOf('.') + 1) + "." + m.fn() + args(m.args());
            }

            @Override
            public String visitCall(Expr.Call c) {
                return c.name() + args(c.args());
            }

            @Override
            public String visitNewArray(Expr.NewArray n) {
                String java = n.type().java();
                StringBuilder sb = new StringBuilder("new ").append(java, 0, java.indexOf('['));
                n.dims().forEach(d -> sb.append('[').append(show(d)).append(']'));
                sb.append("[]".repeat(n.type().rank() - n.dims().size()));
                return sb.toString();
            }

            @Override
            public String visitArrayInit(Expr.ArrayInit i) {
                return "{" + String.join(", ", i.elements().stream().map(Stages::show).toList()) + "}";
            }

            @Override
            public String visitAssign(Expr.Assign a) {
                return show(a.target()) + " " + a.op().symbol + " " + show(a.value());
            }

            @Override
            public String visitIncDec(Expr.IncDec i) {
                String op = i.increment() ? "++" : "--";
                return i.prefix() ? op + show(i.target()) : show(i.target()) + op;
            }

            @Override
            public String visitHole(Expr.Hole h) {
                return "<" + h.kind() + h.index() + ">";
            }

            @Override
            public String visitPop(Expr.Pop p) {
                return "<pop>";
            }

            private String args(List<Expr> args) {
                return "(" + String.join(", ", args.stream().map(Stages::show).toList()) + ")";
            }

            private String operand(Expr x) {
                boolean simple = x instanceof Expr.Var || x instanceof Expr.Lit || x instanceof Expr.ArrayLoad
                        || x instanceof Expr.MathCall || x instanceof Expr.Call || x instanceof Expr.StaticField
                        || x instanceof Expr.Length;
                return simple ? show(x) : "(" + show(x) + ")";
            }
        });
    }
}
