package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.AbandonMethod;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.TreeDiagnostics;
import dev.adjoint.processor.emit.GradClassWriter;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.parse.Parser;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.transform.Derivative;
import dev.adjoint.processor.transform.Gradient;
import dev.adjoint.processor.transform.Jvp;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Adjoint's annotation processor: for each class with {@code @Differentiable} methods it writes a companion
 * {@code *Grad} class. The pipeline, one package per stage: {@code parse} (javac trees to IR) → {@code lower}
 * (A-normal form, no jumps) → {@code analysis} (activity, what to save) → {@code rules} → {@code transform}
 * (reverse mode) → {@code emit} (JavaPoet); errors go through {@code diagnostics}.
 *
 * <p>An error in one method is reported at its line and column and abandons that method only. No exception
 * escapes into javac.
 */
@AutoService(Processor.class)
public final class AdjointProcessor extends AbstractProcessor {
    private static final String ANNOTATION = "dev.adjoint.Differentiable";
    /** The marker every generated class and method carries (runtime, CLASS retention). */
    private static final String MARKER = "dev.adjoint.GeneratedFrom";
    /** This processor's version, written into every generated class. */
    static final String VERSION = readVersion();

    private Trees trees;
    private boolean noTrees;
    /** The generated classes written so far (in any round), each with the user's class it was written for. */
    private final Map<String, String> written = new HashMap<>();
    /** The user's custom rules found so far (in any round), and the registry with them. */
    private final dev.adjoint.processor.parse.CustomRules customRules = new dev.adjoint.processor.parse.CustomRules();
    private dev.adjoint.processor.rules.Registry registry = dev.adjoint.processor.rules.Registry.BUILTINS;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        // @GeneratedFrom and @Generated are on the classes we write: claiming them keeps -Xlint:all -Werror builds
        // free of "No processor claimed any of these annotations" in the round that compiles our output
        return Set.of(ANNOTATION, MARKER, "javax.annotation.processing.Generated",
                dev.adjoint.processor.parse.CustomRules.PUSHFORWARD, dev.adjoint.processor.parse.CustomRules.PULLBACK);
    }

    /** The build's version, from the filtered {@code adjoint.properties} beside this class. */
    private static String readVersion() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = AdjointProcessor.class.getResourceAsStream("adjoint.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException | RuntimeException e) {
            // fall through: unknown
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }

    /**
     * Whether to put {@code @javax.annotation.processing.Generated} beside our own marker: only in the unnamed module
     * (the class path). In a named module it is in {@code java.compiler}, which the module may not read, and on a
     * class of an exported package {@code -Xlint:exports} would ask the module to require it transitively; the
     * runtime's {@code @GeneratedFrom} says the same and needs only the runtime.
     */
    private boolean inUnnamedModule(Element owner) {
        javax.lang.model.element.ModuleElement module = processingEnv.getElementUtils().getModuleOf(owner);
        return module == null || module.isUnnamed();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        trees = treesOf(env);
        noTrees = trees == null;
    }

    /**
     * javac's Tree API for this compilation. Build tools and IDEs wrap the environment (Gradle's incremental
     * processing, IntelliJ's proxies): unwrap them to javac's own when we can.
     */
    private static Trees treesOf(ProcessingEnvironment env) {
        ProcessingEnvironment e = env;
        for (int depth = 0; depth < 5 && e != null; depth++) {
            try {
                return Trees.instance(e);
            } catch (RuntimeException | LinkageError notJavac) {
                e = unwrap(e);
            }
        }
        return null;
    }

    private static ProcessingEnvironment unwrap(ProcessingEnvironment env) {
        // IntelliJ: org.jetbrains.jps.javac.APIWrappers.unwrap(Class, Object)
        try {
            Class<?> wrappers = Class.forName("org.jetbrains.jps.javac.APIWrappers", false, env.getClass().getClassLoader());
            Object unwrapped = wrappers.getMethod("unwrap", Class.class, Object.class)
                    .invoke(null, ProcessingEnvironment.class, env);
            if (unwrapped instanceof ProcessingEnvironment p && p != env) {
                return p;
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException ignored) {
            // not IntelliJ
        }
        // Gradle and others: a field holding the delegate
        ProcessingEnvironment inner = delegateIn(env, env);
        if (inner == null && java.lang.reflect.Proxy.isProxyClass(env.getClass())) {
            // a dynamic proxy (IntelliJ without APIWrappers on our class path, other IDEs): its handler's delegate
            try {
                inner = delegateIn(java.lang.reflect.Proxy.getInvocationHandler(env), env);
            } catch (RuntimeException ignored) {
                // not a proxy after all
            }
        }
        return inner;
    }

    /** A field of {@code holder} (or its superclasses) holding another processing environment than {@code self}. */
    private static ProcessingEnvironment delegateIn(Object holder, ProcessingEnvironment self) {
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                // typed as the interface, or as Object (a generic delegate field, erased)
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())
                        && (ProcessingEnvironment.class.isAssignableFrom(f.getType()) || f.getType() == Object.class)) {
                    try {
                        f.setAccessible(true);
                        Object inner = f.get(holder);
                        if (inner instanceof ProcessingEnvironment p && p != self) {
                            return p;
                        }
                    } catch (ReflectiveOperationException | RuntimeException ignored) {
                        // inaccessible: try the next one
                    }
                }
            }
        }
        return null;
    }

    /**
     * The stack of the thread a round runs on. The stages recurse over the method's nesting; how deep the caller's
     * stack lets them go differs between JDKs and build tools, so a round gets its own generous stack (reserved,
     * not committed, until used) and the limits of ADJ030 are the same everywhere.
     */
    private static final long STACK_BYTES = 512L << 20;

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        boolean[] claimed = {!annotations.isEmpty()};
        Throwable[] failure = {null};
        Thread worker = new Thread(null, () -> {
            try {
                claimed[0] = processRound(annotations, round);
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "adjoint-processor", STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    DiagnosticId.ADJ020.format("the processor failed: " + failure[0]));
        }
        return claimed[0];
    }

    private boolean processRound(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
            if (annotation == null) {
                return !annotations.isEmpty();
            }
            if (trees != null) {
                collectRules(round);
            }
            Set<? extends Element> annotated = round.getElementsAnnotatedWith(annotation);
            if (annotated.isEmpty()) {
                return !annotations.isEmpty();
            }
            if (noTrees) {
                Element first = annotated.iterator().next();
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, DiagnosticId.ADJ019.format(
                        "this compiler (" + processingEnv.getClass().getName() + ") does not offer javac's Tree API"),
                        first);
                noTrees = false; // say it once
                trees = null;
                return !annotations.isEmpty();
            }
            if (trees == null) {
                return !annotations.isEmpty();
            }
            Map<String, List<ExecutableElement>> byClass = new TreeMap<>();
            Map<String, TypeElement> owners = new HashMap<>();
            for (Element e : annotated) {
                if (e.getKind() != ElementKind.METHOD) {
                    continue;
                }
                ExecutableElement m = (ExecutableElement) e;
                TypeElement owner = (TypeElement) m.getEnclosingElement();
                if (!isNamed(owner)) {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, DiagnosticId.ADJ029.format(
                            "'" + m.getSimpleName() + "' is declared in a local or anonymous class"), m);
                    continue;
                }
                String key = owner.getQualifiedName().toString();
                owners.put(key, owner);
                byClass.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
            }
            for (Map.Entry<String, List<ExecutableElement>> entry : byClass.entrySet()) {
                writeClass(owners.get(entry.getKey()), entry.getValue());
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                    DiagnosticId.ADJ020.format("the processor failed: " + e));
        }
        // @Differentiable is ours: claiming it keeps -Xlint:processing (and so -Xlint:all -Werror) quiet
        return !annotations.isEmpty();
    }

    private static boolean isNamed(TypeElement t) {
        for (Element e = t; e instanceof TypeElement te; e = e.getEnclosingElement()) {
            if (te.getNestingKind() == NestingKind.LOCAL || te.getNestingKind() == NestingKind.ANONYMOUS) {
                return false;
            }
        }
        return true;
    }

    private void writeClass(TypeElement owner, List<ExecutableElement> methods) {
        PackageElement pkgElement = processingEnv.getElementUtils().getPackageOf(owner);
        String pkg = pkgElement.isUnnamed() ? "" : pkgElement.getQualifiedName().toString();
        String gradName = gradClassName(owner);
        String qualified = pkg.isEmpty() ? gradName : pkg + "." + gradName;
        String ownerName = owner.getQualifiedName().toString();
        String earlier = written.putIfAbsent(qualified, ownerName);
        if (earlier != null) {
            if (!earlier.equals(ownerName)) {
                // p.Outer.Inner and p.Outer_Inner both map to p.Outer_InnerGrad: say so instead of dropping one
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, DiagnosticId.ADJ031.format(
                        qualified + " of " + ownerName + " would be the same as that of " + earlier,
                        "rename " + ownerName + " or " + earlier + " (the generated class joins nested class names "
                                + "with _)"), owner);
            }
            return; // written in an earlier round
        }
        methods.sort((a, b) -> Long.compare(position(a), position(b)));
        Parser parser = new Parser(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), trees, registry);
        List<MethodIR> parsed = new ArrayList<>();
        List<ExecutableElement> parsedElements = new ArrayList<>();
        for (ExecutableElement m : methods) {
            MethodIR ir = parse(parser, m);
            if (ir != null) {
                parsed.add(ir);
                parsedElements.add(m);
            }
        }
        Map<MethodIR, String> resultTypes = resultTypeNames(parsed);
        Set<String> typeNames = new HashSet<>(resultTypes.values());
        for (String t : resultTypes.values()) {
            for (String kind : List.of("Jvp", "Vjp", "Jacobian")) {
                typeNames.add(baseName(t) + kind);
            }
        }
        typeNames.add(gradName);
        // types the generated file imports: a user's class of the same name must be written qualified
        boolean javaxGenerated = inUnnamedModule(owner);
        typeNames.addAll(List.of("Tape", "Buffers", "GeneratedFrom"));
        if (javaxGenerated) {
            typeNames.add("Generated");
        }
        // classes of the user's package that shadow java.lang's in the generated file
        for (String javaLang : List.of("Math", "StrictMath", "Double", "Integer", "Long", "Boolean", "Float", "Object",
                "String", "IllegalArgumentException", "IllegalStateException", "ArithmeticException")) {
            if (processingEnv.getElementUtils().getTypeElement(pkg.isEmpty() ? javaLang : pkg + "." + javaLang)
                    != null) {
                typeNames.add(javaLang);
            }
        }
        CalleeSource callees = new CalleeSource(parser, pkg);
        GradClassWriter writer = new GradClassWriter(pkg, gradName, owner.getQualifiedName().toString(),
                processingEnv.getElementUtils().getBinaryName(owner).toString(), VERSION, javaxGenerated);
        int generated = 0;
        for (int k = 0; k < parsed.size(); k++) {
            MethodIR ir = parsed.get(k);
            ExecutableElement m = parsedElements.get(k);
            TreeDiagnostics diags = diagnostics(m, callees.units);
            try {
                GradClassWriter.ResultNames names = new GradClassWriter.ResultNames(ir);
                String base = baseName(resultTypes.get(ir));
                if (ir.returnType() == Ty.DOUBLE_ARRAY) {
                    // a vector-valued method: JVP, VJP, and the Jacobian built on them
                    List<Derivative> ds = Pipeline.differentiate(ir, List.of(DerivativeRequest.jvp(ir),
                            DerivativeRequest.vjp(ir), DerivativeRequest.jvpDirections(ir),
                            DerivativeRequest.vjpDirections(ir)), diags, callees);
                    if (ds != null) {
                        String jvp = derivedMethodName(ir, "Jvp", parsed);
                        String vjp = derivedMethodName(ir, "Vjp", parsed);
                        String jacobian = derivedMethodName(ir, "Jacobian", parsed);
                        writer.addJvp(base + "Jvp", jvp, (Jvp) ds.get(0), typeNames);
                        writer.add(base + "Vjp", vjp, names, (Gradient) ds.get(1), typeNames);
                        Gradient rows = (Gradient) ds.get(3);
                        writer.addJvpColumns(jacobian + "Columns", (Jvp) ds.get(2), typeNames);
                        writer.addVjpRows(jacobian + "Rows", base + "Jacobian", names, rows, typeNames);
                        writer.addJacobian(base + "Jacobian", jacobian, jvp, base + "Jvp", jacobian + "Rows",
                                rows.usesTape(), jacobian + "Columns", names, ir);
                        generated++;
                    }
                } else {
                    List<Derivative> ds = Pipeline.differentiate(ir, List.of(DerivativeRequest.gradient(ir),
                            DerivativeRequest.jvp(ir)), diags, callees);
                    if (ds != null) {
                        writer.add(resultTypes.get(ir), names, (Gradient) ds.get(0), typeNames);
                        writer.addJvp(base + "Jvp", derivedMethodName(ir, "Jvp", parsed), (Jvp) ds.get(1),
                                typeNames);
                        generated++;
                    }
                }
            } catch (AbandonMethod abandoned) {
                // reported already
            } catch (RuntimeException | StackOverflowError e) {
                diags.error(DiagnosticId.ADJ020, new dev.adjoint.processor.ir.Pos(trees.getTree(m)),
                        "differentiating '" + m.getSimpleName() + "' failed: " + e);
            }
        }
        if (generated == 0) {
            return;
        }
        writer.addConstants(parser.constantCopies(), typeNames);
        JavaFile file = writer.build();
        try {
            JavaFileObject source = processingEnv.getFiler().createSourceFile(qualified, owner);
            try (Writer w = source.openWriter()) {
                file.writeTo(w);
            }
        } catch (javax.annotation.processing.FilerException e) {
            // javac refuses to write a type that this compilation already has: most often a stale generated
            // source from an earlier build that ended up among the inputs (a generated-sources folder on the
            // source path). Say that, instead of an internal error.
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, DiagnosticId.ADJ032.format(
                    "cannot write " + qualified + " (" + e.getMessage() + "): a source or class of that name is "
                            + "already part of this compilation, probably generated by an earlier build"), owner);
        } catch (IOException | RuntimeException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, DiagnosticId.ADJ020.format(
                    "cannot write " + qualified + ": " + e, "check that the generated-sources directory can be "
                            + "written (free space, permissions) and compile again; if it can, please report this"),
                    owner);
        }
    }

    private MethodIR parse(Parser parser, ExecutableElement m) {
        TreeDiagnostics diags = diagnostics(m);
        try {
            MethodTree tree = trees.getTree(m);
            TreePath path = trees.getPath(m);
            if (tree == null || path == null) {
                diags.error(DiagnosticId.ADJ023, null, "no source for '" + m.getSimpleName() + "'",
                        "compile the method's source file in this javac run: Adjoint reads the body from the source");
                return null;
            }
            return parser.parse(m, tree, path.getCompilationUnit(), diags);
        } catch (AbandonMethod abandoned) {
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            diags.error(DiagnosticId.ADJ020, null, "parsing '" + m.getSimpleName() + "' failed: " + e);
            return null;
        }
    }

    private TreeDiagnostics diagnostics(ExecutableElement m) {
        return diagnostics(m, List.of());
    }

    /** Adds this round's @Pushforward and @Pullback methods to the custom rules, and rebuilds the registry. */
    private void collectRules(RoundEnvironment round) {
        boolean any = false;
        for (String name : List.of(dev.adjoint.processor.parse.CustomRules.PUSHFORWARD,
                dev.adjoint.processor.parse.CustomRules.PULLBACK)) {
            TypeElement a = processingEnv.getElementUtils().getTypeElement(name);
            if (a == null) {
                continue;
            }
            for (Element e : round.getElementsAnnotatedWith(a)) {
                any = true;
                customRules.add(e, name.equals(dev.adjoint.processor.parse.CustomRules.PUSHFORWARD),
                        el -> el instanceof ExecutableElement ex ? diagnostics(ex)
                                : new TreeDiagnostics(trees, processingEnv.getMessager(), null, el));
            }
        }
        if (any) {
            registry = dev.adjoint.processor.rules.Registry.withBuiltins(customRules.entries());
        }
    }

    /** @param others the units of the called methods, where errors in inlined code are found */
    private TreeDiagnostics diagnostics(ExecutableElement m, java.util.Collection<CompilationUnitTree> others) {
        TreePath path = trees.getPath(m);
        CompilationUnitTree unit = path == null ? null : path.getCompilationUnit();
        return new TreeDiagnostics(trees, processingEnv.getMessager(), unit, m, others);
    }

    /**
     * The methods that one class's differentiated methods call whose source is in the compilation: each parsed once
     * (its errors reported once, at its own lines), for the pipeline to differentiate through.
     */
    private final class CalleeSource implements Pipeline.Callees {
        private final Parser parser;
        private final Map<ExecutableElement, Pipeline.Parsed> parsed = new HashMap<>();
        /** The compilation units of the called methods parsed so far. */
        final List<CompilationUnitTree> units = new ArrayList<>();

        /** The package of the generated class, where inlined code runs. */
        private final String pkg;

        CalleeSource(Parser parser, String pkg) {
            this.parser = parser;
            this.pkg = pkg;
        }

        @Override
        public boolean hasSource(dev.adjoint.processor.ir.Callee callee) {
            return parser.sourceOf(callee) != null;
        }

        @Override
        public dev.adjoint.processor.rules.Registry registry() {
            return registry;
        }

        @Override
        public Pipeline.Parsed parse(dev.adjoint.processor.ir.Callee callee) {
            ExecutableElement e = parser.sourceOf(callee);
            if (e == null) {
                return new Pipeline.Parsed(null, new dev.adjoint.processor.diagnostics.Recorded());
            }
            Pipeline.Parsed known = parsed.get(e);
            if (known == null) {
                TreePath path = trees.getPath(e);
                if (path != null && !units.contains(path.getCompilationUnit())) {
                    units.add(path.getCompilationUnit());
                }
                dev.adjoint.processor.diagnostics.Recorded errors = new dev.adjoint.processor.diagnostics.Recorded();
                known = new Pipeline.Parsed(parser.parseCallee(e, errors, pkg), errors);
                parsed.put(e, known);
            }
            return known;
        }

        @Override
        public Pipeline.Deferred inaccessible(dev.adjoint.processor.ir.Callee callee) {
            String[] why = parser.inaccessible(callee);
            return why == null ? null : new Pipeline.Deferred(DiagnosticId.ADJ024, why[0], why[1]);
        }
    }

    private long position(ExecutableElement m) {
        TreePath path = trees.getPath(m);
        if (path == null) {
            return Long.MAX_VALUE;
        }
        return trees.getSourcePositions().getStartPosition(path.getCompilationUnit(), path.getLeaf());
    }

    /** {@code p.C} → {@code CGrad}; {@code p.Outer.Inner} → {@code Outer_InnerGrad}. */
    static String gradClassName(TypeElement owner) {
        List<String> parts = new ArrayList<>();
        for (Element e = owner; e instanceof TypeElement te; e = e.getEnclosingElement()) {
            parts.add(0, te.getSimpleName().toString());
        }
        return String.join("_", parts) + "Grad";
    }

    /**
     * {@code loss} → {@code LossGradient}; overloads add their parameter types
     * ({@code LossDoubleArrayDoubleGradient}); remaining clashes get 2, 3, ... before {@code Gradient}.
     */
    static Map<MethodIR, String> resultTypeNames(List<MethodIR> methods) {
        Map<String, Integer> counts = new HashMap<>();
        for (MethodIR m : methods) {
            counts.merge(m.name(), 1, Integer::sum);
        }
        Map<MethodIR, String> names = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (MethodIR m : methods) {
            StringBuilder base = new StringBuilder(Character.toUpperCase(m.name().charAt(0)) + m.name().substring(1));
            if (counts.get(m.name()) > 1) {
                for (Sym p : m.ownParams()) {
                    base.append(typeCode(p));
                }
            }
            String name = base + "Gradient";
            for (int n = 2; !taken.add(name); n++) {
                name = base.toString() + n + "Gradient";
            }
            names.put(m, name);
        }
        return names;
    }

    /**
     * @return the result types' common stem: the gradient type's name without {@code Gradient} ({@code Loss}, to
     *     which {@code Jvp}, {@code Vjp} and {@code Jacobian} are added)
     */
    static String baseName(String gradientType) {
        return gradientType.substring(0, gradientType.length() - "Gradient".length());
    }

    /**
     * @return a derivative's methods' name, {@code fJvp}, {@code fVjp} or {@code fJacobian}, with {@code _} appended
     *     while another differentiated method of the class has that name (its methods would be overloads of it)
     */
    static String derivedMethodName(MethodIR m, String kind, List<MethodIR> all) {
        String name = m.name() + kind;
        boolean taken = true;
        while (taken) {
            taken = false;
            for (MethodIR other : all) {
                taken |= other.name().equals(name);
            }
            if (taken) {
                name = name + "_";
            }
        }
        return name;
    }

    private static String typeCode(Sym p) {
        return switch (p.type()) {
            case DOUBLE -> "Double";
            case INT -> "Int";
            case LONG -> "Long";
            case BOOLEAN -> "Boolean";
            case DOUBLE_ARRAY -> "DoubleArray";
            case DOUBLE_MATRIX -> "DoubleMatrix";
            case INT_ARRAY -> "IntArray";
            case TENSOR3 -> throw new IllegalStateException("a parameter of generated code's own type");
        };
    }
}
