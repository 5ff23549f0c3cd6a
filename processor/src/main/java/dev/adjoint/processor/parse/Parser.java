package dev.adjoint.processor.parse;

import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ004;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ005;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ006;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ007;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ015;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ017;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ018;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ020;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ023;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ027;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ028;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ029;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ030;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ034;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.AbandonMethod;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The parse stage: turns one {@code @Differentiable} method's javac tree into {@link MethodIR}, checking that it
 * stays inside the supported subset and inferring the type of every expression (method bodies are not attributed
 * while annotation processors run).
 *
 * <p>Errors are reported through {@link Diagnostics} at the most specific tree, as many distinct ones as can be
 * found; a method with any error yields no IR. An instance can parse any number of methods, one at a time.
 */
public final class Parser {
    /** The annotation whose {@code wrt} attribute names the parameters to differentiate. */
    public static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";

    private final Elements elements;
    private final Trees trees;
    /** The methods with source in this compilation that parsed code calls, by the callee each call names. */
    private final Map<dev.adjoint.processor.ir.Callee, ExecutableElement> sources = new java.util.HashMap<>();
    private final Map<dev.adjoint.processor.ir.Callee, String[]> inaccessible = new java.util.HashMap<>();
    private final Map<String, dev.adjoint.processor.ir.ConstantCopy> copies = new java.util.LinkedHashMap<>();

    /**
     * @param elements the processing environment's elements
     * @param types    the processing environment's types (not needed yet: the subset's types are few and are
     *                 matched by kind)
     * @param trees    javac's tree API for the same compilation
     */
    public Parser(Elements elements, Types types, Trees trees) {
        this(elements, types, trees, dev.adjoint.processor.rules.Registry.BUILTINS);
    }

    /** @param registry the rules: the built-ins and the user's custom rules, which make their methods primitives */
    public Parser(Elements elements, Types types, Trees trees, dev.adjoint.processor.rules.Registry registry) {
        this(elements, types, trees, () -> registry, m -> false);
    }

    /**
     * @param registry       the rules as they are now: the built-ins, the user's custom rules, and those found on
     *                       the class path so far
     * @param classPathRules looks for the rules of a method without source here in its generated class (compiled
     *                       earlier, on the class path), adding them to the registry; whether it found any
     */
    public Parser(Elements elements, Types types, Trees trees,
            java.util.function.Supplier<dev.adjoint.processor.rules.Registry> registry,
            java.util.function.Predicate<ExecutableElement> classPathRules) {
        this.elements = elements;
        this.trees = trees;
        this.registry = registry;
        this.classPathRules = classPathRules;
    }

    private final java.util.function.Supplier<dev.adjoint.processor.rules.Registry> registry;
    private final java.util.function.Predicate<ExecutableElement> classPathRules;

    /**
     * Parses a method.
     *
     * @param method the annotated method
     * @param tree   its tree ({@code Trees.getTree(method)})
     * @param unit   its compilation unit ({@code Trees.getPath(method).getCompilationUnit()})
     * @param diags  where errors go
     * @return the method's IR, or null when at least one error was reported. Never throws: an unexpected failure
     *         is reported as ADJ020 at the method.
     */
    public MethodIR parse(ExecutableElement method, MethodTree tree, CompilationUnitTree unit, Diagnostics diags) {
        return parse(method, tree, unit, diags, false);
    }

    /**
     * @return the copies the generated class must declare of the private computed constants parsed code reads, in
     *     an order where each initializer only reads copies before it
     */
    public List<dev.adjoint.processor.ir.ConstantCopy> constantCopies() {
        return List.copyOf(copies.values());
    }

    /**
     * @return why the generated class could not call a method with source, {detail, way out} of ADJ024, or null
     */
    public String[] inaccessible(dev.adjoint.processor.ir.Callee callee) {
        return inaccessible.get(callee);
    }

    /**
     * @return the method a call of parsed code names when its source is in this compilation, else null
     */
    public ExecutableElement sourceOf(dev.adjoint.processor.ir.Callee callee) {
        return sources.get(callee);
    }

    /**
     * Parses a method that differentiated code calls ({@link #sourceOf}), to be differentiated through where it is
     * called: any result type of the subset, every {@code double}, {@code double[]} and {@code double[][]}
     * parameter differentiable (which of them carry derivatives is the caller's data flow), no {@code wrt}.
     *
     * @return its IR, or null when at least one error was reported (at its own lines)
     */
    public MethodIR parseCallee(ExecutableElement method, Diagnostics diags, String accessPackage) {
        MethodTree tree = trees.getTree(method);
        com.sun.source.util.TreePath path = trees.getPath(method);
        if (tree == null || path == null) {
            return null;
        }
        String saved = this.accessPackage;
        this.accessPackage = accessPackage;
        try {
            return parse(method, tree, path.getCompilationUnit(), diags, true);
        } finally {
            this.accessPackage = saved;
        }
    }

    /** While a called method is parsed: the package its inlined code will run in (the caller's generated class's). */
    private String accessPackage;

    private MethodIR parse(ExecutableElement method, MethodTree tree, CompilationUnitTree unit, Diagnostics diags,
            boolean callee) {
        int errorsBefore = diags.errorCount();
        try {
            MethodIR ir = parseMethod(method, tree, unit, diags, callee);
            return diags.errorCount() > errorsBefore ? null : ir;
        } catch (StackOverflowError e) {
            diags.error(ADJ030, new Pos(tree), method.getSimpleName() + " nests too deeply for the parser");
            return null;
        } catch (AbandonMethod e) {
            if (diags.errorCount() == errorsBefore) {
                diags.error(ADJ020, new Pos(tree), "parsing " + method.getSimpleName() + " was abandoned");
            }
            return null;
        } catch (RuntimeException e) {
            diags.error(ADJ020, new Pos(tree), "the parser failed on " + method.getSimpleName() + ": " + e);
            return null;
        }
    }

    private MethodIR parseMethod(ExecutableElement method, MethodTree tree, CompilationUnitTree unit,
            Diagnostics diags, boolean callee) {
        int errorsBefore = diags.errorCount();
        if (!(method.getEnclosingElement() instanceof TypeElement owner)
                || owner.getNestingKind() == NestingKind.LOCAL || owner.getNestingKind() == NestingKind.ANONYMOUS) {
            diags.error(ADJ029, new Pos(tree), method.getSimpleName().toString());
            return null;
        }
        TypeResolver resolver = new TypeResolver(elements, unit, owner);
        MethodContext ctx = new MethodContext(method, tree, resolver, diags, trees, unit);
        ctx.sources(sources);
        ctx.inaccessible(inaccessible);
        ctx.callee(callee);
        ctx.accessPackage(accessPackage);
        ctx.copies(copies);
        ctx.registry(registry, classPathRules);
        String name = method.getSimpleName().toString();

        // A method unusable as a whole is reported once, as that, and not checked further: what else would be
        // reported (its fields, its wrt, its body) follows from it or changes once it is fixed.
        if (tree.getBody() == null) {
            ctx.error(ADJ023, tree, Signatures.noBodyDetail(method), Signatures.noBodyWayOut(method, tree, ctx));
            return null;
        }
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            String[] why = callee ? null : Signatures.unusableReceiver(method, owner, tree, ctx);
            if (callee || why != null) {
                ctx.error(ADJ006, tree, name + " is an instance method" + (why == null ? "" : " " + why[0]),
                        why == null ? Signatures.notStaticWayOut(method, tree, owner, ctx) : why[1]);
                return null;
            }
            ctx.receivers(new Receivers(ctx, owner, tree));
        }
        ctx.resultType(callee ? TypeResolver.ty(method.getReturnType()) : checkSignature(method, tree, ctx));
        List<Sym> params = parameters(method, tree, ctx);
        List<Sym> wrt = callee ? params.stream().filter(Parser::differentiable).toList()
                : wrt(method, tree, params, ctx);
        ExprParser exprs = new ExprParser(ctx);
        Stmt.Block body = new StatementParser(ctx, exprs).block(tree.getBody());
        dev.adjoint.processor.ir.Receiver receiver = null;
        if (ctx.receivers() != null) {
            receiver = ctx.receivers().receiver();
            List<Sym> all = new ArrayList<>(ctx.receivers().params());
            all.addAll(params);
            params = all;
            List<Sym> ordered = new ArrayList<>();
            for (Sym p : params) {
                if (wrt.contains(p)) {
                    ordered.add(p);
                }
            }
            wrt = ordered;
        }
        boolean isVoid = method.getReturnType().getKind() == javax.lang.model.type.TypeKind.VOID;
        if (!ctx.hasReturn() && !(callee && isVoid) && diags.errorCount() == errorsBefore) {
            ctx.error(ADJ027, tree, name + " has no return statement: it never returns a value",
                    "end " + name + " with return <a double>; (a method that always throws or never ends has no "
                            + "value to differentiate)");
            return null;
        }
        if (params.contains(null)) {
            return null;
        }
        return new MethodIR(name, List.copyOf(params), List.copyOf(wrt), ctx.resultType(), body,
                TypeResolver.canonicalName(owner), new Pos(tree), receiver);
    }

    /**
     * Checks the result and the type parameters. A result or parameter type that uses the method's own type
     * parameters is not reported apart: removing the type parameters (ADJ018) is where its fix starts.
     *
     * @return the declared result, {@code double} or {@code double[]}, or null when it is neither (only then are
     *     its return statements checked)
     */
    private static Ty checkSignature(ExecutableElement method, MethodTree tree, MethodContext ctx) {
        String name = method.getSimpleName().toString();
        TypeMirror result = method.getReturnType();
        boolean generic = !method.getTypeParameters().isEmpty();
        if (generic) {
            Tree at = tree.getTypeParameters().isEmpty() ? tree : tree.getTypeParameters().get(0);
            ctx.error(ADJ018, at, name + " has type parameters", Signatures.typeParametersWayOut(method, tree));
        }
        Ty declared = TypeResolver.ty(result);
        if (declared != Ty.DOUBLE && declared != Ty.DOUBLE_ARRAY
                && !(generic && Signatures.mentionsTypeVariable(result))) {
            ctx.error(ADJ007, tree.getReturnType(), name + " returns " + result, Signatures.resultWayOut(method));
        }
        return declared == Ty.DOUBLE || declared == Ty.DOUBLE_ARRAY ? declared : null;
    }

    /** @return the parameters' symbols (ids 0..n-1), with null for each rejected parameter */
    private static List<Sym> parameters(ExecutableElement method, MethodTree tree, MethodContext ctx) {
        List<? extends VariableElement> elements = method.getParameters();
        List<Sym> params = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            VariableElement p = elements.get(i);
            String pname = p.getSimpleName().toString();
            Tree at = i < tree.getParameters().size() ? tree.getParameters().get(i) : tree;
            TypeMirror type = p.asType();
            Ty ty = TypeResolver.ty(type);
            Sym sym = ctx.newSym(pname, ty == null ? Ty.DOUBLE : ty, i);
            if (method.isVarArgs() && i == elements.size() - 1) {
                ctx.error(ADJ017, at, "parameter " + pname + " is varargs", Signatures.varargsWayOut(p,
                        at instanceof VariableTree v ? v : null));
                sym = null;
            } else if (ty == null) {
                Tree typeTree = at instanceof VariableTree v ? v.getType() : at;
                if (Signatures.mentionsTypeVariable(type)) {
                    // reported as the type parameters (ADJ018)
                } else if (TypeResolver.isString(type)) {
                    ctx.error(ADJ015, typeTree, "parameter " + pname + " of type " + type,
                            Signatures.stringParameterWayOut(p));
                } else {
                    ctx.error(ADJ028, typeTree, "parameter " + pname + " of type " + type,
                            Signatures.parameterWayOut(p));
                }
                sym = null;
            }
            params.add(sym);
            ctx.scope().declare(pname, sym == null ? Scope.POISONED : sym);
        }
        return params;
    }

    // ---------------------------------------------------------------- wrt

    private static boolean differentiable(Sym p) {
        return p != null && p.type().isFloating();
    }

    private static List<Sym> wrt(ExecutableElement method, MethodTree tree, List<Sym> params, MethodContext ctx) {
        AnnotationTree annotation = annotationTree(tree);
        Tree annotationPos = annotation != null ? annotation : tree;
        List<String> names = wrtNames(method);
        List<Sym> wrt = new ArrayList<>();
        String mname = method.getSimpleName().toString();
        if (names.isEmpty()) {
            for (Sym p : params) {
                if (differentiable(p)) {
                    wrt.add(p);
                }
            }
            if (wrt.isEmpty() && !params.contains(null) && ctx.receivers() != null) {
                List<String> fields = ctx.receivers().differentiableFields();
                ctx.error(ADJ034, annotationPos, mname + " has no double, double[] or double[][] parameter, and the "
                        + "fields of its object are constants unless wrt names them", fields.isEmpty()
                                ? "add a double, double[] or double[][] parameter or field that the result depends on"
                                : "name the fields to differentiate with respect to in wrt: @Differentiable(wrt = "
                                        + "{\"this." + String.join("\", \"this.", fields) + "\"})");
            } else if (wrt.isEmpty() && !params.contains(null)) {
                ctx.error(ADJ034, annotationPos, mname + " has no double, double[] or double[][] parameter",
                        "add a double, double[] or double[][] parameter that the result depends on: the gradient is "
                                + "taken with respect to such parameters (static double " + mname + "("
                                + withExtraParameter(tree, ctx) + "))");
            }
            return wrt;
        }
        List<ExpressionTree> valueTrees = wrtValueTrees(annotation);
        boolean[] chosen = new boolean[params.size()];
        List<Sym> fields = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            Tree at = valueTree(valueTrees, names, i, annotationPos);
            int index = indexOf(method, n);
            if (n.equals("<error>") || !seen.add(n)) {
                continue; // a constant javac could not resolve (javac reports it), or a name given twice
            }
            if (n.startsWith("this.")) {
                Sym field = wrtField(n.substring("this.".length()), at, mname, params, ctx);
                if (field != null) {
                    fields.add(field);
                }
                continue;
            }
            if (index < 0) {
                ctx.error(ADJ004, at, "\"" + n + "\" is not a parameter of " + mname,
                        unknownWrtWayOut(mname, params, ctx.receivers()));
            } else if (params.get(index) == null) {
                continue; // its type was already reported
            } else if (!differentiable(params.get(index))) {
                ctx.error(ADJ005, at, "parameter " + n + " of type " + params.get(index).type().java(),
                        "remove \"" + n + "\" from wrt: only double, double[] and double[][] parameters have a "
                                + "gradient (" + n + " can still be used in the method)");
            } else {
                chosen[index] = true;
            }
        }
        wrt.addAll(fields);
        for (int i = 0; i < params.size(); i++) {
            if (chosen[i]) {
                wrt.add(params.get(i));
            }
        }
        return wrt;
    }

    /** A {@code wrt} entry {@code this.name}: the receiver's field, as a differentiated parameter; null after an error. */
    private static Sym wrtField(String field, Tree at, String mname, List<Sym> params, MethodContext ctx) {
        Receivers receivers = ctx.receivers();
        if (receivers == null) {
            return ctx.error(ADJ004, at, "\"this." + field + "\" names a field, but " + mname + " is static",
                    "drop static from " + mname + " to differentiate with respect to the fields of its object, or "
                            + "name a parameter in @Differentiable(wrt = ...)");
        }
        VariableElement f = receivers.field(field);
        if (f == null) {
            return ctx.error(ADJ004, at, "\"this." + field + "\" is not a field of the object " + mname
                    + " runs on", unknownWrtWayOut(mname, params, receivers));
        }
        Ty ty = Receivers.ty(f);
        if (ty != null && !ty.isFloating()) {
            return ctx.error(ADJ005, at, "field " + field + " of type " + ty.java(),
                    "remove \"this." + field + "\" from wrt: only double, double[] and double[][] fields have a "
                            + "gradient (" + field + " can still be read in the method)");
        }
        return receivers.sym(f, at);
    }

    /** The way out of ADJ004: the names it could have meant. */
    private static String unknownWrtWayOut(String method, List<Sym> params, Receivers receivers) {
        List<String> candidates = new ArrayList<>();
        if (receivers != null) {
            for (String f : receivers.differentiableFields()) {
                candidates.add("\"this." + f + "\"");
            }
        }
        for (Sym p : params) {
            if (differentiable(p)) {
                candidates.add("\"" + p.name() + "\"");
            }
        }
        if (candidates.isEmpty()) {
            return "name a double, double[] or double[][] parameter of " + method + " in @Differentiable(wrt = ...); "
                    + method + " has none, so add one";
        }
        return "name a parameter of " + method + " in @Differentiable(wrt = ...): " + String.join(", ", candidates)
                + " (or leave wrt out to differentiate all of them)";
    }

    /** The method's parameters as written, followed by a new {@code double x} (named so as not to clash). */
    private static String withExtraParameter(MethodTree tree, MethodContext ctx) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        tree.getParameters().forEach(p -> taken.add(p.getName().toString()));
        String x = "x";
        for (int k = 2; taken.contains(x); k++) {
            x = "x" + k;
        }
        String own = Signatures.parametersAsWritten(tree, ctx);
        return (own.isEmpty() ? "" : own + ", ") + "double " + x;
    }

    private static int indexOf(ExecutableElement method, String name) {
        List<? extends VariableElement> ps = method.getParameters();
        for (int i = 0; i < ps.size(); i++) {
            if (ps.get(i).getSimpleName().contentEquals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the names in {@code wrt}, read from the annotation mirror (constants already folded) */
    private static List<String> wrtNames(ExecutableElement method) {
        List<String> names = new ArrayList<>();
        for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (!type.getQualifiedName().contentEquals(DIFFERENTIABLE)) {
                continue;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                    : mirror.getElementValues().entrySet()) {
                if (!e.getKey().getSimpleName().contentEquals("wrt")) {
                    continue;
                }
                Object value = e.getValue().getValue();
                if (value instanceof List<?> list) {
                    for (Object item : list) {
                        Object v = item instanceof AnnotationValue av ? av.getValue() : item;
                        names.add(String.valueOf(v));
                    }
                } else if (value != null) {
                    names.add(String.valueOf(value));
                }
            }
        }
        return names;
    }

    private static AnnotationTree annotationTree(MethodTree tree) {
        for (AnnotationTree a : tree.getModifiers().getAnnotations()) {
            String type = a.getAnnotationType().toString();
            if (type.equals("Differentiable") || type.equals(DIFFERENTIABLE)) {
                return a;
            }
        }
        return null;
    }

    /** @return the trees of the {@code wrt} values, in order */
    private static List<ExpressionTree> wrtValueTrees(AnnotationTree annotation) {
        if (annotation == null) {
            return List.of();
        }
        for (ExpressionTree arg : annotation.getArguments()) {
            if (arg instanceof AssignmentTree assign && assign.getVariable() instanceof IdentifierTree id
                    && id.getName().contentEquals("wrt")) {
                ExpressionTree value = assign.getExpression();
                if (value instanceof NewArrayTree array && array.getInitializers() != null) {
                    return new ArrayList<>(array.getInitializers());
                }
                return List.of(value);
            }
        }
        return List.of();
    }

    /** The tree of the i-th name: the string literal that spells it, else by position, else the annotation. */
    private static Tree valueTree(List<ExpressionTree> trees, List<String> names, int i, Tree fallback) {
        for (ExpressionTree t : trees) {
            if (t instanceof LiteralTree lit && names.get(i).equals(lit.getValue())) {
                return t;
            }
        }
        return trees.size() == names.size() ? trees.get(i) : fallback;
    }
}
