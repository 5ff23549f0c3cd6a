package dev.adjoint.processor.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.Differentiable;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** Drives {@link Parser} from a test processor over in-memory sources and checks the IR and the diagnostics. */
class ParserTest {

    // ------------------------------------------------------------------ harness

    /** What one compilation produced: the IR per method name (null when it had errors) and javac's messages. */
    record Result(Map<String, MethodIR> methods, List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        MethodIR ir(String method) {
            assertTrue(methods.containsKey(method), "no method " + method + " was parsed");
            MethodIR ir = methods.get(method);
            assertNotNull(ir, () -> "parse failed: " + diagnostics);
            return ir;
        }

        /** @return "line:ADJnnn" for every Adjoint error */
        Set<String> errors() {
            Set<String> out = new TreeSet<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                Matcher m = Pattern.compile("\\[(ADJ\\d{3})]").matcher(d.getMessage(null));
                out.add(d.getLineNumber() + ":" + (m.find() ? m.group(1) : d.getMessage(null)));
            }
            return out;
        }
    }

    /** Runs the parser on every {@code @Differentiable} method of the sources. */
    static final class ParseProcessor extends AbstractProcessor {
        final Map<String, MethodIR> methods = new LinkedHashMap<>();

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
                MethodTree tree = (MethodTree) path.getLeaf();
                CompilationUnitTree unit = path.getCompilationUnit();
                Diagnostics diags = new Diagnostics() {
                    private int count;

                    @Override
                    public void error(DiagnosticId id, Pos pos, String detail, String wayOut) {
                        count++;
                        Tree at = pos.tree() instanceof Tree t ? t : tree;
                        trees.printMessage(Diagnostic.Kind.ERROR, id.format(detail, wayOut), at, unit);
                    }

                    @Override
                    public int errorCount() {
                        return count;
                    }
                };
                methods.put(method.getSimpleName().toString(), parser.parse(method, tree, unit, diags));
            }
            return false;
        }
    }

    static Result parse(String className, String source) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classpath = new File(Differentiable.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).getPath();
        ParseProcessor processor = new ParseProcessor();
        // javac's log writer (else System.err): it prints nothing here, unless javac crashes (then its crash report)
        StringWriter output = new StringWriter();
        JavaCompiler.CompilationTask task = compiler.getTask(output, null, collector,
                List.of("-proc:only", "-classpath", classpath), null, List.of(file));
        task.setProcessors(List.of(processor));
        // javac itself recurses deeply on the 500-level and 1,000-term inputs: give it a thread with a large stack,
        // as a build's compiler thread has, so that the test measures our parser and not the test runner's stack
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread compile = new Thread(null, () -> {
            try {
                task.call();
            } catch (RuntimeException | Error e) {
                thrown.set(e);
            }
        }, "javac", 512L << 20);
        compile.start();
        try {
            compile.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (thrown.get() != null) {
            throw new AssertionError("the compile of " + className + " threw; javac printed:\n" + output,
                    thrown.get());
        }
        if (output.getBuffer().length() > 0) {
            throw new AssertionError("javac printed, while compiling " + className + ":\n" + output);
        }
        return new Result(processor.methods, collector.getDiagnostics());
    }

    /** @return "line:ADJnnn" for every marker comment {@code // ADJnnn ...} in the source */
    static Set<String> expectedErrors(String source) {
        Set<String> out = new TreeSet<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int comment = lines[i].indexOf("//");
            if (comment < 0) {
                continue;
            }
            Matcher m = Pattern.compile("ADJ\\d{3}").matcher(lines[i].substring(comment));
            while (m.find()) {
                out.add((i + 1) + ":" + m.group());
            }
        }
        return out;
    }

    /** Every declaration in a block, by name (the first one of each name). */
    static Map<String, Stmt.Decl> decls(Stmt.Block body) {
        Map<String, Stmt.Decl> out = new LinkedHashMap<>();
        collectDecls(body, out, new ArrayList<>());
        return out;
    }

    static List<Stmt.Decl> allDecls(Stmt.Block body) {
        List<Stmt.Decl> out = new ArrayList<>();
        collectDecls(body, new HashMap<>(), out);
        return out;
    }

    private static void collectDecls(Stmt s, Map<String, Stmt.Decl> byName, List<Stmt.Decl> all) {
        if (s instanceof Stmt.Decl d) {
            byName.putIfAbsent(d.sym().name(), d);
            all.add(d);
        } else if (s instanceof Stmt.Block b) {
            b.stmts().forEach(x -> collectDecls(x, byName, all));
        } else if (s instanceof Stmt.If i) {
            collectDecls(i.then(), byName, all);
            if (i.otherwise() != null) {
                collectDecls(i.otherwise(), byName, all);
            }
        } else if (s instanceof Stmt.For f) {
            f.init().forEach(x -> collectDecls(x, byName, all));
            collectDecls(f.body(), byName, all);
        } else if (s instanceof Stmt.ForEach f) {
            collectDecls(f.body(), byName, all);
        } else if (s instanceof Stmt.While w) {
            collectDecls(w.body(), byName, all);
        } else if (s instanceof Stmt.DoWhile d) {
            collectDecls(d.body(), byName, all);
        }
    }

    // ------------------------------------------------------------------ types

    private static final String TYPES = """
            package p;

            import dev.adjoint.Differentiable;
            import static java.lang.Math.*;

            class Types {
                static final double K = 2.5;
                static final int N = 3;
                private static final double PRIV = 0.5;
                private static final long PRIV_LONG = -7L;

                static class Nested {
                    static final double C = 1.25;
                }

                @Differentiable
                static double f(double x, int n, double[] a, double[][] m, long big, boolean flag, int[] idx) {
                    var k = n / 2;
                    var y = x * 2;
                    var ab = Math.abs(n);
                    var al = Math.abs(big);
                    var ad = Math.abs(x);
                    var r = Math.round(x);
                    var s = Math.sqrt(n);
                    var mx = Math.max(n, big);
                    var fm = Math.floorMod(big, n);
                    var len = a.length;
                    var row = m[0];
                    var e = m[0][1];
                    var c = flag ? n : x;
                    var sh = big << 2;
                    var cmp = x < n;
                    var pi = Math.PI;
                    var kk = K * N;
                    var pr = PRIV;
                    var pl = PRIV_LONG;
                    var lm = Long.MAX_VALUE;
                    var nested = Nested.C + Types.Nested.C + p.Types.K;
                    var inf = Double.NEGATIVE_INFINITY;
                    var neg = -1.5;
                    var ni = -3;
                    var dd = 2d;
                    var sc = 1e-3;
                    var l3 = 3L;
                    var cast = (int) x;
                    var h = helper(x, n);
                    var h2 = Types.helper(x, 2.0);
                    var nan = Double.isNaN(x);
                    var st = sin(x) + StrictMath.cos(x) + E;
                    var el = idx[n];
                    var strict = StrictMath.pow(x, 2);
                    int i = 0;
                    i += 1.5;
                    double[] init = {1, 2};
                    double[][] mat = {{1, 2}, {3}};
                    double[][] jag = new double[n][];
                    double[][] full = new double[n][n + 1];
                    var withInit = new double[][] {{x}, a};
                    int[] ints = new int[] {1, 2, 3};
                    var qualified = java.lang.Math.PI + java.lang.Integer.MAX_VALUE;
                    return x;
                }

                static double helper(double a, int b) {
                    return a;
                }

                static double helper(double a, double b) {
                    return b;
                }
            }
            """;

    @Test
    void infersTypes() {
        Result result = parse("p.Types", TYPES);
        MethodIR ir = result.ir("f");
        Map<String, Stmt.Decl> d = decls(ir.body());
        Map<String, Ty> expected = new LinkedHashMap<>();
        expected.put("k", Ty.INT);
        expected.put("y", Ty.DOUBLE);
        expected.put("ab", Ty.INT);
        expected.put("al", Ty.LONG);
        expected.put("ad", Ty.DOUBLE);
        expected.put("r", Ty.LONG);
        expected.put("s", Ty.DOUBLE);
        expected.put("mx", Ty.LONG);
        expected.put("fm", Ty.INT);
        expected.put("len", Ty.INT);
        expected.put("row", Ty.DOUBLE_ARRAY);
        expected.put("e", Ty.DOUBLE);
        expected.put("c", Ty.DOUBLE);
        expected.put("sh", Ty.LONG);
        expected.put("cmp", Ty.BOOLEAN);
        expected.put("pi", Ty.DOUBLE);
        expected.put("kk", Ty.DOUBLE);
        expected.put("pr", Ty.DOUBLE);
        expected.put("pl", Ty.LONG);
        expected.put("lm", Ty.LONG);
        expected.put("nested", Ty.DOUBLE);
        expected.put("inf", Ty.DOUBLE);
        expected.put("neg", Ty.DOUBLE);
        expected.put("ni", Ty.INT);
        expected.put("dd", Ty.DOUBLE);
        expected.put("sc", Ty.DOUBLE);
        expected.put("l3", Ty.LONG);
        expected.put("cast", Ty.INT);
        expected.put("h", Ty.DOUBLE);
        expected.put("h2", Ty.DOUBLE);
        expected.put("nan", Ty.BOOLEAN);
        expected.put("st", Ty.DOUBLE);
        expected.put("el", Ty.INT);
        expected.put("strict", Ty.DOUBLE);
        expected.put("i", Ty.INT);
        expected.put("init", Ty.DOUBLE_ARRAY);
        expected.put("mat", Ty.DOUBLE_MATRIX);
        expected.put("jag", Ty.DOUBLE_MATRIX);
        expected.put("full", Ty.DOUBLE_MATRIX);
        expected.put("withInit", Ty.DOUBLE_MATRIX);
        expected.put("ints", Ty.INT_ARRAY);
        expected.put("qualified", Ty.DOUBLE);
        expected.forEach((name, ty) -> {
            assertTrue(d.containsKey(name), name);
            assertEquals(ty, d.get(name).sym().type(), name);
            assertEquals(ty, d.get(name).init().type(), name + " initializer");
        });

        assertEquals(new Expr.StaticField("java.lang.Math", "PI", Ty.DOUBLE, d.get("pi").init().pos()),
                d.get("pi").init());
        Expr.Binary kk = (Expr.Binary) d.get("kk").init();
        assertEquals("p.Types", ((Expr.StaticField) kk.left()).owner());
        assertEquals(Ty.INT, kk.right().type());
        assertEquals("0.5", ((Expr.Lit) d.get("pr").init()).text(), "a private constant is inlined");
        assertEquals("-7L", ((Expr.Lit) d.get("pl").init()).text());
        Expr.Binary nested = (Expr.Binary) d.get("nested").init();
        Expr.Binary nestedLeft = (Expr.Binary) nested.left();
        assertEquals("p.Types.Nested", ((Expr.StaticField) nestedLeft.left()).owner());
        assertEquals("p.Types.Nested", ((Expr.StaticField) nestedLeft.right()).owner());
        assertEquals("p.Types", ((Expr.StaticField) nested.right()).owner());
        assertEquals("java.lang.Double", ((Expr.StaticField) d.get("inf").init()).owner());
        Expr.Binary qualified = (Expr.Binary) d.get("qualified").init();
        assertEquals(new Expr.StaticField("java.lang.Integer", "MAX_VALUE", Ty.INT, qualified.right().pos()),
                qualified.right());
        assertInstanceOf(Tree.class, qualified.pos().tree(), "positions carry the javac tree");

        Expr.Unary neg = (Expr.Unary) d.get("neg").init();
        assertEquals(Expr.UnOp.NEG, neg.op());
        assertEquals("1.5", ((Expr.Lit) neg.operand()).text());
        assertEquals("-3", ((Expr.Lit) d.get("ni").init()).text());
        assertEquals("2.0", ((Expr.Lit) d.get("dd").init()).text());
        assertEquals("1e-3", ((Expr.Lit) d.get("sc").init()).text());
        assertEquals("3L", ((Expr.Lit) d.get("l3").init()).text());

        Expr.MathCall abs = (Expr.MathCall) d.get("ab").init();
        assertEquals("abs", abs.fn());
        Expr.Binary st = (Expr.Binary) d.get("st").init();
        Expr.Binary sinCos = (Expr.Binary) st.left();
        assertEquals("sin", ((Expr.MathCall) sinCos.left()).fn(), "static import of Math.*");
        assertEquals("cos", ((Expr.MathCall) sinCos.right()).fn());
        assertEquals(new Expr.StaticField("java.lang.Math", "E", Ty.DOUBLE, st.right().pos()), st.right());
        assertEquals("pow", ((Expr.MathCall) d.get("strict").init()).fn());

        Expr.Call h = (Expr.Call) d.get("h").init();
        assertEquals("p.Types", h.owner());
        assertEquals("helper", h.name());
        assertEquals(List.of(Ty.DOUBLE, Ty.INT), h.args().stream().map(Expr::type).toList());
        Expr.Call nan = (Expr.Call) d.get("nan").init();
        assertEquals("java.lang.Double", nan.owner());

        Expr.Cast cast = (Expr.Cast) d.get("cast").init();
        assertEquals(Ty.INT, cast.type());

        Expr.NewArray jag = (Expr.NewArray) d.get("jag").init();
        assertEquals(1, jag.dims().size());
        Expr.NewArray full = (Expr.NewArray) d.get("full").init();
        assertEquals(2, full.dims().size());
        Expr.ArrayInit mat = (Expr.ArrayInit) d.get("mat").init();
        assertEquals(2, mat.elements().size());
        assertEquals(Ty.DOUBLE_ARRAY, ((Expr.ArrayInit) mat.elements().get(1)).type());
        Expr.ArrayInit withInit = (Expr.ArrayInit) d.get("withInit").init();
        assertInstanceOf(Expr.ArrayInit.class, withInit.elements().get(0));
        assertInstanceOf(Expr.Var.class, withInit.elements().get(1));

        // i += 1.5 keeps the target's type
        Stmt.ExprStmt compound = ir.body().stmts().stream()
                .filter(s -> s instanceof Stmt.ExprStmt).map(s -> (Stmt.ExprStmt) s).findFirst().orElseThrow();
        Expr.Assign assign = (Expr.Assign) compound.expr();
        assertEquals(Expr.AssignOp.ADD, assign.op());
        assertEquals(Ty.INT, assign.type());
        assertEquals(Ty.DOUBLE, assign.value().type());

        assertEquals("p.Types", ir.ownerCanonicalName());
        assertEquals(Ty.DOUBLE, ir.returnType());
        assertEquals(Set.of(), result.errors());
    }

    // ------------------------------------------------------------------ scopes and statements

    private static final String SCOPES = """
            package p;

            import dev.adjoint.Differentiable;

            class Scopes {
                static class Bad extends RuntimeException {
                    Bad(String m) {
                        super(m);
                    }
                }

                @Differentiable
                static double g(double x, double[] a) {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        double t = a[i];
                        s += t;
                    }
                    for (int i = 0, j = 1; i < a.length; i++, j++) {
                        double t = a[i] * x;
                        s += t;
                    }
                    {
                        double u = 1;
                        s += u;
                    }
                    {
                        double u = 2;
                        s += u;
                    }
                    for (double v : a) s += v;
                    outer:
                    for (var w : a) {
                        int k = 0;
                        while (k < 3) {
                            k++;
                            if (k == 2) continue outer;
                            if (k > 5) break outer;
                        }
                        do { k--; } while (k > 0);
                    }
                    if (x < 0) throw new IllegalArgumentException("x < 0: " + x);
                    else if (x > 1e9) {
                        throw new Bad("big");
                    } else ;
                    double q = 1, r;
                    r = q = 2;
                    return s + r;
                }
            }
            """;

    @Test
    void scopesGiveEachDeclarationItsOwnSym() {
        Result result = parse("p.Scopes", SCOPES);
        MethodIR ir = result.ir("g");
        assertEquals(List.of("x", "a"), ir.params().stream().map(Sym::name).toList());
        assertEquals(0, ir.params().get(0).id());
        assertEquals(1, ir.params().get(1).paramIndex());
        List<Stmt.Decl> all = allDecls(ir.body());
        List<String> names = all.stream().map(d -> d.sym().name()).toList();
        assertEquals(List.of("s", "i", "t", "i", "j", "t", "u", "u", "k", "q", "r"), names);
        // ids in declaration order, after the parameters (for-each variables v and w take 10 and 11)
        List<Integer> ids = all.stream().map(d -> d.sym().id()).toList();
        assertEquals(List.of(2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14), ids);

        List<Stmt> stmts = ir.body().stmts();
        Stmt.For first = (Stmt.For) stmts.get(1);
        Stmt.For second = (Stmt.For) stmts.get(2);
        Sym t1 = ((Stmt.Decl) first.body().stmts().get(0)).sym();
        Sym t2 = ((Stmt.Decl) second.body().stmts().get(0)).sym();
        assertNotSame(t1, t2);
        Expr.Assign use1 = (Expr.Assign) ((Stmt.ExprStmt) first.body().stmts().get(1)).expr();
        Expr.Assign use2 = (Expr.Assign) ((Stmt.ExprStmt) second.body().stmts().get(1)).expr();
        assertSame(t1, ((Expr.Var) use1.value()).sym());
        assertSame(t2, ((Expr.Var) use2.value()).sym());
        assertSame(all.get(0).sym(), ((Expr.Var) use1.target()).sym(), "s is the outer s");
        assertEquals(2, second.init().size());
        assertEquals(2, second.update().size());

        Stmt.ForEach each = (Stmt.ForEach) stmts.get(5);
        assertEquals(Ty.DOUBLE, each.var().type());
        assertEquals(1, each.body().stmts().size(), "a single statement becomes a block");
        Stmt.ForEach labeled = (Stmt.ForEach) stmts.get(6);
        assertEquals("outer", labeled.label());
        assertEquals(Ty.DOUBLE, labeled.var().type());
        Stmt.While loop = (Stmt.While) labeled.body().stmts().get(1);
        Stmt.If cont = (Stmt.If) loop.body().stmts().get(1);
        assertEquals(new Stmt.Continue("outer", cont.then().stmts().get(0).pos()), cont.then().stmts().get(0));
        assertInstanceOf(Stmt.DoWhile.class, labeled.body().stmts().get(2));

        Stmt.If guard = (Stmt.If) stmts.get(7);
        assertEquals("new java.lang.IllegalArgumentException(\"x < 0: \" + x)",
                ((Stmt.Throw) guard.then().stmts().get(0)).source());
        Stmt.If elseIf = (Stmt.If) guard.otherwise().stmts().get(0);
        assertEquals("new p.Scopes.Bad(\"big\")", ((Stmt.Throw) elseIf.then().stmts().get(0)).source());
        assertEquals(List.of(), elseIf.otherwise().stmts(), "the empty statement is dropped");

        assertInstanceOf(Stmt.Return.class, stmts.get(stmts.size() - 1));
        assertEquals(Set.of(), result.errors());
    }

    // ------------------------------------------------------------------ wrt

    private static final String WRT = """
            package p;

            import dev.adjoint.Differentiable;

            class Wrt {
                @Differentiable
                static double all(double x, int n, double[] a, double[][] m, boolean b, long l, int[] i) {
                    return x;
                }

                @Differentiable(wrt = {"m", "x"})
                static double some(double x, int n, double[] a, double[][] m) {
                    return x;
                }

                @Differentiable(wrt = "a")
                static double one(double x, double[] a) {
                    return x;
                }
            }
            """;

    @Test
    void wrtDefaultsToEveryFloatingParameterInOrder() {
        Result result = parse("p.Wrt", WRT);
        assertEquals(List.of("x", "a", "m"), result.ir("all").wrt().stream().map(Sym::name).toList());
        assertEquals(List.of("x", "m"), result.ir("some").wrt().stream().map(Sym::name).toList());
        MethodIR one = result.ir("one");
        assertEquals(List.of("a"), one.wrt().stream().map(Sym::name).toList());
        assertSame(one.params().get(1), one.wrt().get(0));
        assertEquals(Set.of(), result.errors());
    }

    // ------------------------------------------------------------------ resolution

    private static final String RESOLUTION = """
            package p;

            import dev.adjoint.Differentiable;
            import static java.lang.Math.sqrt;

            class Resolution {
                static double sin(double x) {
                    return x;
                }

                @Differentiable
                static double r(double x, int n) {
                    double a = sin(x) + sqrt(x) + Other.K + Other.Inner.J;
                    int big = Integer.MAX_VALUE;
                    inner:
                    while (n > 0) {
                        n--;
                        do {
                            n -= 2;
                            if (n < 3) break inner;
                        } while (n > 10);
                    }
                    return a + r(x);
                }

                static double r(double x) {
                    return x;
                }
            }

            class Other {
                static final double K = 1;

                interface Inner {
                    long J = 2;
                }
            }
            """;

    @Test
    void resolvesMethodsAndConstantsLikeJavac() {
        Result result = parse("p.Resolution", RESOLUTION);
        assertEquals(Set.of(), result.errors());
        MethodIR ir = result.ir("r");
        Stmt.Decl a = (Stmt.Decl) ir.body().stmts().get(0);
        Expr.Binary sum = (Expr.Binary) a.init();
        Expr.Binary left = (Expr.Binary) sum.left();
        Expr.Binary sinSqrt = (Expr.Binary) left.left();
        assertEquals("p.Resolution", ((Expr.Call) sinSqrt.left()).owner(), "the class's own sin wins");
        assertEquals("sqrt", ((Expr.MathCall) sinSqrt.right()).fn(), "single static import");
        assertEquals("p.Other", ((Expr.StaticField) left.right()).owner());
        assertEquals(new Expr.StaticField("p.Other.Inner", "J", Ty.LONG, sum.right().pos()), sum.right());
        Stmt.While loop = (Stmt.While) ir.body().stmts().get(2);
        assertEquals("inner", loop.label());
        Stmt.DoWhile inner = (Stmt.DoWhile) loop.body().stmts().get(1);
        Stmt.If guard = (Stmt.If) inner.body().stmts().get(1);
        assertEquals("inner", ((Stmt.Break) guard.then().stmts().get(0)).label());
        Stmt.Return ret = (Stmt.Return) ir.body().stmts().get(3);
        Expr.Call overload = (Expr.Call) ((Expr.Binary) ret.value()).right();
        assertEquals("r", overload.name(), "an overload of another arity is not recursion");
    }

    // ------------------------------------------------------------------ errors

    private static final String ERRORS = """
            package p;

            import dev.adjoint.Differentiable;
            import java.util.List;

            abstract class Errors {
                double instanceField;
                static double mutable;
                static final String NAME = "n";
                static final double[] TABLE = {1, 2};

                @Differentiable
                static double constructs(double x, int n, double[] a) {
                    switch (x) { default: x++; } // ADJ013
                    try { x++; } finally { x--; } // ADJ012
                    synchronized (Errors.class) { x++; } // ADJ014
                    java.util.function.DoubleUnaryOperator f = v -> v; // ADJ011
                    x += List.of(1.0).stream().mapToDouble(Double::doubleValue).sum(); // ADJ024
                    class Local {} // ADJ001
                    assert x > 0; // ADJ025
                    Object o = new Object(); // ADJ003
                    new Object(); // ADJ002
                    boolean b = a instanceof Object; // ADJ002
                    float g = 1; // ADJ003
                    double h = 1f; // ADJ003
                    double c = (float) x; // ADJ003
                    String s = "s"; // ADJ015
                    double w = ("v" + x).length(); // ADJ015
                    double z = x + instanceField; // ADJ016
                    z += mutable; // ADJ016
                    z += this.instanceField; // ADJ016
                    z += TABLE[0]; // a constant table: no error
                    z += NAME.length(); // ADJ015
                    z += Math.random(); // ADJ022
                    z += Math.ulp(x); // ADJ022
                    z += unknown; // ADJ021
                    z += Nope.X; // ADJ021
                    z += a.equals(a) ? 1 : 0; // ADJ024
                    z += List.of(1).size(); // ADJ024
                    boolean q = (n > 0) & (n < 5); // ADJ026
                    if (x > 0) return; // ADJ027
                    char ch = 'c'; // ADJ003
                    lbl: { x++; } // ADJ001
                    z += Math.sin(x + "1"); // ADJ015
                    z += this.hashCode(); // ADJ024
                    z += Math.floorDiv(x, 2); // ADJ026
                    z += undefinedHelper(x); // ADJ021
                    z = z + 1 + switch (n) { default -> 1; }; // ADJ013
                    z += secret(x); // private, but differentiated through where it is called: no error
                    return z + ("s").length(); // ADJ015
                }

                private static double secret(double x) { return x; }

                @Differentiable
                double notStatic(double x) { return x; } // an instance method: its gradient takes the object

                @Differentiable
                static int notDouble(double x) { return 1; } // ADJ007

                @Differentiable
                static double varargs(double... xs) { return 0; } // ADJ017

                @Differentiable
                static <T> double generic(double x) { return x; } // ADJ018

                @Differentiable
                static double params(double x, float f, String s, Double d, List<Double> l) { return x; } // ADJ028 ADJ015

                @Differentiable
                static native double noBody(double x); // ADJ023

                @Differentiable(wrt = {"x", "y"}) // ADJ004
                static double wrtUnknown(double x) { return x; }

                @Differentiable(wrt = "n") // ADJ005
                static double wrtInt(double x, int n) { return x; }

                @Differentiable // ADJ034
                static double nothing(int n) { return n; }

                @Differentiable
                static double fine(double x) { return x; }
            }
            """;

    @Test
    void reportsEachUnsupportedConstructAtItsLine() {
        Result result = parse("p.Errors", ERRORS);
        Set<String> expected = expectedErrors(ERRORS);
        // params(...): ADJ028 three times and ADJ015 once on the same line; the set keeps one of each
        assertEquals(expected, result.errors(), () -> String.join("\n",
                result.diagnostics().stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList()));
        for (String m : List.of("constructs", "notDouble", "varargs", "generic", "params", "noBody",
                "wrtUnknown", "wrtInt", "nothing")) {
            assertNull(result.methods().get(m), m);
        }
        assertNotNull(result.methods().get("fine"));
        // an instance method parses: the object comes first, no field is read, so no field parameter
        MethodIR instance = result.methods().get("notStatic");
        assertNotNull(instance);
        assertNotNull(instance.receiver());
        assertEquals(List.of(), instance.receiver().fields());
        assertEquals("errors", instance.receiver().name());
    }

    @Test
    void reportsEveryBadParameter() {
        Result result = parse("p.Errors", ERRORS);
        List<String> lines = ERRORS.lines().toList();
        long paramsLine = 1 + lines.indexOf(lines.stream().filter(l -> l.contains("double params(")).findFirst()
                .orElseThrow());
        long paramErrors = result.diagnostics().stream()
                .filter(d -> d.getLineNumber() == paramsLine)
                .count();
        assertEquals(4, paramErrors, () -> String.join("\n",
                result.diagnostics().stream().map(d -> d.getLineNumber() + ": " + d.getMessage(null)).toList()));
    }

    // ------------------------------------------------------------------ depth

    @Test
    void survivesDeepNestingAndLongBodies() {
        StringBuilder nested = new StringBuilder("x");
        for (int i = 0; i < 500; i++) {
            nested.insert(0, "(1.0 + ").append(")");
        }
        StringBuilder sum = new StringBuilder("x");
        for (int i = 0; i < 1000; i++) {
            sum.append(" + x * ").append(i);
        }
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            body.append("        s += x * ").append(i).append(";\n");
        }
        StringBuilder calls = new StringBuilder("x");
        for (int i = 0; i < 500; i++) {
            calls.insert(0, "Math.sin(-").append(")");
        }
        StringBuilder chain = new StringBuilder("        double s = 0;\n        if (x < 0) s = 1;\n");
        for (int i = 0; i < 500; i++) {
            chain.append("        else if (x < ").append(i).append(") s = ").append(i).append(";\n");
        }
        String source = "package p;\nimport dev.adjoint.Differentiable;\nclass Deep {\n"
                + "    @Differentiable\n    static double calls(double x) {\n        return " + calls + ";\n    }\n"
                + "    @Differentiable\n    static double chain(double x) {\n" + chain + "        return s;\n    }\n"
                + "    @Differentiable\n    static double deep(double x) {\n        return " + nested + ";\n    }\n"
                + "    @Differentiable\n    static double wide(double x) {\n        return " + sum + ";\n    }\n"
                + "    @Differentiable\n    static double longBody(double x) {\n        double s = 0;\n" + body
                + "        return s;\n    }\n}\n";
        Result result = parse("p.Deep", source);
        assertEquals(Set.of(), result.errors());
        assertEquals(Set.of("deep", "wide", "longBody", "calls", "chain"), result.methods().keySet(),
                () -> result.diagnostics().toString());
        assertEquals(Ty.DOUBLE, ((Stmt.Return) result.ir("deep").body().stmts().get(0)).value().type());
        assertEquals(Ty.DOUBLE, ((Stmt.Return) result.ir("wide").body().stmts().get(0)).value().type());
        assertEquals(5002, result.ir("longBody").body().stmts().size());
        assertInstanceOf(Expr.MathCall.class, ((Stmt.Return) result.ir("calls").body().stmts().get(0)).value());
        assertEquals(3, result.ir("chain").body().stmts().size());
    }
}
