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
import dev.adjoint.processor.emit.ExplainPage;
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
import javax.lang.model.element.Modifier;
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

    /** The processor option that explains every method of the build ({@code -Aadjoint.explain=true}). */
    static final String EXPLAIN_OPTION = "adjoint.explain";

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(EXPLAIN_OPTION);
    }

    /** @return whether {@code m}'s derivatives are to be explained: its {@code explain = true}, or the option */
    private boolean explains(ExecutableElement m) {
        if ("true".equalsIgnoreCase(processingEnv.getOptions().get(EXPLAIN_OPTION))) {
            return true;
        }
        for (javax.lang.model.element.AnnotationMirror mirror : m.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(ANNOTATION)) {
                for (Map.Entry<? extends ExecutableElement, ? extends javax.lang.model.element.AnnotationValue> e
                        : mirror.getElementValues().entrySet()) {
                    if (e.getKey().getSimpleName().contentEquals("explain")
                            && Boolean.TRUE.equals(e.getValue().getValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Writes the explanation page of a class beside its generated source, for the methods that ask for one. A page
     * that cannot be written is a warning: the derivatives themselves are written.
     */
    private void writeExplanation(TypeElement owner, String pkg, String gradName, List<MethodIR> parsed,
            List<ExecutableElement> elements, Map<MethodIR, Gradient> gradients,
            java.util.function.Supplier<String> generated) {
        try {
            explanation(owner, pkg, gradName, parsed, elements, gradients, generated);
        } catch (RuntimeException e) {
            // the explanation is for reading: a failure of it must not cost the derivatives
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, DiagnosticId.ADJ020.format(
                    "cannot explain the derivatives of " + owner.getQualifiedName() + ": " + e, "this is a bug in "
                            + "Adjoint's explanation, please report it; the derivatives themselves were written"),
                    owner);
        }
    }

    private void explanation(TypeElement owner, String pkg, String gradName, List<MethodIR> parsed,
            List<ExecutableElement> elements, Map<MethodIR, Gradient> gradients,
            java.util.function.Supplier<String> generated) {
        CompilationUnitTree unit = null;
        ExplainPage page = null;
        for (int k = 0; k < parsed.size(); k++) {
            ExecutableElement m = elements.get(k);
            if (!explains(m)) {
                continue;
            }
            TreePath path = trees.getPath(m);
            if (page == null) {
                unit = path == null ? null : path.getCompilationUnit();
                CompilationUnitTree u = unit;
                String file = u == null ? owner.getSimpleName() + ".java"
                        : java.nio.file.Path.of(u.getSourceFile().toUri().getPath()).getFileName().toString();
                page = new ExplainPage(owner.getQualifiedName().toString(), file, pos -> line(u, pos));
            }
            MethodIR ir = parsed.get(k);
            page.add(new ExplainPage.Method(ir.name(), m.getSimpleName() + signature(m),
                    line(unit, new dev.adjoint.processor.ir.Pos(trees.getTree(m))), Pipeline.explain(ir, registry),
                    gradients.get(ir)));
        }
        if (page == null) {
            return;
        }
        page.generated(gradName + ".java", generated.get()); // printed again only for a class that is explained
        try {
            javax.tools.FileObject html = processingEnv.getFiler().createResource(
                    javax.tools.StandardLocation.SOURCE_OUTPUT, pkg, gradName + ".explain.html", owner);
            page.sourceHref(relativeLink(html.toUri(), unit == null ? null : unit.getSourceFile().toUri()));
            try (Writer w = html.openWriter()) {
                w.write(page.render());
            }
        } catch (IOException | RuntimeException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, DiagnosticId.ADJ020.format(
                    "cannot write the explanation " + gradName + ".explain.html: " + e, "check that the "
                            + "generated-sources directory can be written; the derivatives themselves were written"),
                    owner);
        }
    }

    /**
     * @return the source file as a link from the page: a relative path when both are files (so that the page
     *     does not depend on where the project is checked out), else null
     */
    private static String relativeLink(java.net.URI page, java.net.URI source) {
        try {
            if (source == null || !"file".equals(page.getScheme()) || !"file".equals(source.getScheme())) {
                return null;
            }
            java.nio.file.Path from = java.nio.file.Path.of(page).getParent();
            java.nio.file.Path to = java.nio.file.Path.of(source);
            return from.relativize(to).toString().replace(java.io.File.separatorChar, '/');
        } catch (RuntimeException notAFile) {
            return null;
        }
    }

    private static String signature(ExecutableElement m) {
        List<String> params = new ArrayList<>();
        for (javax.lang.model.element.VariableElement p : m.getParameters()) {
            params.add(p.asType() + " " + p.getSimpleName());
        }
        return "(" + String.join(", ", params) + ")";
    }

    /** @return the source line of a position in {@code unit}, or -1 */
    private long line(CompilationUnitTree unit, dev.adjoint.processor.ir.Pos pos) {
        if (unit == null || !(pos.tree() instanceof com.sun.source.tree.Tree t)) {
            return -1;
        }
        try {
            long start = trees.getSourcePositions().getStartPosition(unit, t);
            return start < 0 ? -1 : unit.getLineMap().getLineNumber(start);
        } catch (RuntimeException notInThisUnit) {
            return -1;
        }
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
            reachedHelpers.clear();
            for (Map.Entry<String, List<ExecutableElement>> entry : byClass.entrySet()) {
                writeClass(owners.get(entry.getKey()), entry.getValue(), List.of());
            }
            // the helpers of classes without @Differentiable methods get their entry points in their own class's
            // generated class, which then has only those
            Map<TypeElement, Set<ExecutableElement>> helpers = new java.util.TreeMap<>(
                    java.util.Comparator.comparing(t -> t.getQualifiedName().toString()));
            helpers.putAll(reachedHelpers);
            for (Map.Entry<TypeElement, Set<ExecutableElement>> entry : helpers.entrySet()) {
                if (!byClass.containsKey(entry.getKey().getQualifiedName().toString()) && isNamed(entry.getKey())) {
                    writeClass(entry.getKey(), new ArrayList<>(), new ArrayList<>(entry.getValue()));
                }
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

    /** The methods of other classes that this round's differentiated methods reached, by class. */
    private final Map<TypeElement, Set<ExecutableElement>> reachedHelpers = new LinkedHashMap<>();

    /**
     * Writes the generated class of {@code owner}: the derivatives of its {@code @Differentiable} methods, and the
     * entry points of those and of the methods of {@code owner} they reach or that {@code helpers} lists (reached
     * from other classes).
     */
    private void writeClass(TypeElement owner, List<ExecutableElement> methods, List<ExecutableElement> helpers) {
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
        Parser parser = new Parser(processingEnv.getElementUtils(), processingEnv.getTypeUtils(), trees,
                () -> registry, this::findClassPathRules);
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
        typeNames.addAll(List.of("Tape", "Buffers", "GeneratedFrom", "Pullback", "Pushforward"));
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
        CalleeSource callees = new CalleeSource(parser, pkg, owner);
        GradClassWriter writer = new GradClassWriter(pkg, gradName, owner.getQualifiedName().toString(),
                processingEnv.getElementUtils().getBinaryName(owner).toString(), VERSION, javaxGenerated);
        writer.markRules(!isAuxiliary(owner));
        if (methods.isEmpty()) {
            writer.entryPointsOnly();
        }
        int generated = 0;
        Map<MethodIR, Gradient> gradients = new HashMap<>();
        Set<ExecutableElement> withEntryPoints = new HashSet<>();
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
                        gradients.put(ir, (Gradient) ds.get(0));
                        writer.add(resultTypes.get(ir), names, (Gradient) ds.get(0), typeNames);
                        writer.addJvp(base + "Jvp", derivedMethodName(ir, "Jvp", parsed), (Jvp) ds.get(1),
                                typeNames);
                        generated++;
                    }
                }
                if (addEntryPoints(writer, owner, ir, m.getModifiers().contains(Modifier.PUBLIC),
                        callees.required.contains(m), callees, typeNames)) {
                    withEntryPoints.add(m);
                }
            } catch (AbandonMethod abandoned) {
                // reported already
            } catch (RuntimeException | StackOverflowError e) {
                diags.error(DiagnosticId.ADJ020, new dev.adjoint.processor.ir.Pos(trees.getTree(m)),
                        "differentiating '" + m.getSimpleName() + "' failed: " + e);
            }
        }
        for (ExecutableElement helper : helpers) {
            if (!callees.parsed.containsKey(helper) && trees.getTree(helper) != null) {
                dev.adjoint.processor.diagnostics.Recorded errors = new dev.adjoint.processor.diagnostics.Recorded();
                callees.parsed.put(helper, new Pipeline.Parsed(parser.parseCallee(helper, errors, pkg), errors));
            }
        }
        if (generated == 0 && helpers.isEmpty()) {
            return;
        }
        // the helpers of this class that the methods reached get their entry points too (those of other classes
        // get theirs in their own class's generated class)
        Set<ExecutableElement> done = new HashSet<>(parsedElements);
        for (boolean more = true; more; ) {
            more = false;
            for (Map.Entry<ExecutableElement, Pipeline.Parsed> e : new ArrayList<>(callees.parsed.entrySet())) {
                ExecutableElement helper = e.getKey();
                if (!helper.getEnclosingElement().equals(owner)
                        && helper.getEnclosingElement() instanceof TypeElement other) {
                    reachedHelpers.computeIfAbsent(other, k -> new java.util.LinkedHashSet<>()).add(helper);
                }
                if (e.getValue().ir() != null && helper.getEnclosingElement().equals(owner) && done.add(helper)) {
                    more = true;
                    try {
                        if (addEntryPoints(writer, owner, e.getValue().ir(),
                                helper.getModifiers().contains(Modifier.PUBLIC), callees.required.contains(helper),
                                callees, typeNames)) {
                            withEntryPoints.add(helper);
                        }
                    } catch (RuntimeException | StackOverflowError failed) {
                        // an entry point is an extra: a helper whose derivative fails here gets none (a call of it
                        // from another compilation is then told it has no rule), unless recursion needs it (below)
                    }
                }
            }
        }
        if (generated == 0 && withEntryPoints.isEmpty()) {
            return; // helpers none of whose derivatives could be taken with respect to all their parameters
        }
        for (ExecutableElement needed : callees.required) {
            if (!withEntryPoints.contains(needed)) {
                // the generated code calls them: without them it would not compile
                TreeDiagnostics diags = diagnostics(needed, callees.units);
                diags.error(DiagnosticId.ADJ009, new dev.adjoint.processor.ir.Pos(trees.getTree(needed)),
                        needed.getSimpleName() + " is recursive, and its derivative with respect to all its double "
                                + "parameters, which its generated entry points compute, has errors: write the "
                                + "recursion as a loop");
                return;
            }
        }
        writer.addConstants(parser.constantCopies(), typeNames);
        JavaFile file = writer.build();
        writeExplanation(owner, pkg, gradName, parsed, parsedElements, gradients, file::toString);
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
                if (isGenerated(e.getEnclosingElement())) {
                    // our entry points, in the round that compiles what we wrote: the methods they are for were
                    // differentiated already, and a user's own rule for one of them stays the rule
                    continue;
                }
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

    /** @return whether a class's top-level class is a second top-level class of its file (an auxiliary class) */
    private boolean isAuxiliary(TypeElement owner) {
        Element top = owner;
        while (top.getEnclosingElement() instanceof TypeElement outer) {
            top = outer;
        }
        TreePath path = trees.getPath(top);
        return path != null && !path.getCompilationUnit().getSourceFile().isNameCompatible(
                top.getSimpleName().toString(), javax.tools.JavaFileObject.Kind.SOURCE);
    }

    /** @return whether an element is a class Adjoint generated (it carries our marker) */
    private static boolean isGenerated(Element e) {
        for (javax.lang.model.element.AnnotationMirror m : e.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(MARKER)) {
                return true;
            }
        }
        return false;
    }

    /** The generated classes on the class path already searched for rules. */
    private final Set<String> searched = new HashSet<>();

    /**
     * Finds the rules of a method compiled earlier, whose source is not in this compilation: when its class was
     * compiled with Adjoint, its generated class (on the class path, as a class file) carries the method's entry
     * points marked {@code @Pullback} and {@code @Pushforward} (CLASS retention, which javac reads from class
     * files), and they become the method's custom rules here, checked as the user's are.
     *
     * @return whether rules were found in the method's generated class (for it or for its other methods)
     */
    private boolean findClassPathRules(ExecutableElement method) {
        if (trees.getTree(method) != null || !(method.getEnclosingElement() instanceof TypeElement owner)
                || !isNamed(owner)) {
            return false;
        }
        PackageElement pkg = processingEnv.getElementUtils().getPackageOf(owner);
        String grad = (pkg.isUnnamed() ? "" : pkg.getQualifiedName() + ".") + gradClassName(owner);
        if (!searched.add(grad)) {
            return false;
        }
        TypeElement generated = processingEnv.getElementUtils().getTypeElement(grad);
        if (generated == null || !isGenerated(generated)) {
            return false;
        }
        boolean any = false;
        for (Element e : generated.getEnclosedElements()) {
            for (String a : List.of(dev.adjoint.processor.parse.CustomRules.PUSHFORWARD,
                    dev.adjoint.processor.parse.CustomRules.PULLBACK)) {
                for (javax.lang.model.element.AnnotationMirror m : e.getAnnotationMirrors()) {
                    if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(a)) {
                        customRules.add(e, a.equals(dev.adjoint.processor.parse.CustomRules.PUSHFORWARD),
                                el -> new TreeDiagnostics(trees, processingEnv.getMessager(), null, el));
                        any = true;
                    }
                }
            }
        }
        if (any) {
            registry = dev.adjoint.processor.rules.Registry.withBuiltins(customRules.entries());
        }
        return any;
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
        /** The called methods parsed so far, in the order they were reached. */
        final Map<ExecutableElement, Pipeline.Parsed> parsed = new LinkedHashMap<>();
        /** The compilation units of the called methods parsed so far. */
        final List<CompilationUnitTree> units = new ArrayList<>();

        /** The package of the generated class, where inlined code runs. */
        private final String pkg;

        /** The class being differentiated, whose generated class gets the entry points of its recursive methods. */
        private final TypeElement owner;
        /** The recursive methods called through their entry points, which the generated class must then have. */
        final Set<ExecutableElement> required = new java.util.LinkedHashSet<>();

        CalleeSource(Parser parser, String pkg, TypeElement owner) {
            this.parser = parser;
            this.pkg = pkg;
            this.owner = owner;
        }

        @Override
        public Pipeline.Recursion recursion(dev.adjoint.processor.ir.Callee callee) {
            ExecutableElement e = parser.sourceOf(callee);
            if (e == null) {
                return new Pipeline.Recursion(null, "its source is not here");
            }
            if (!e.getEnclosingElement().equals(owner)) {
                return new Pipeline.Recursion(null, "a recursive method is differentiated through entry points "
                        + "written into the generated class of the class being differentiated, and "
                        + callee.name() + " is declared in " + callee.owner() + ", not in " + owner.getQualifiedName()
                        + " (move it there)");
            }
            int doubles = 0;
            int differentiable = 0;
            boolean scalars = true;
            for (Ty t : callee.params()) {
                doubles += t == Ty.DOUBLE ? 1 : 0;
                differentiable += t != null && dev.adjoint.processor.rules.Registry.differentiable(t) ? 1 : 0;
                scalars &= t != null && !t.isArray();
            }
            String[] hidden = parser.inaccessible(callee);
            if (callee.result() != null && !callee.result().isFloating() && !callee.result().isArray() && scalars
                    && hidden == null) {
                // an int, long or boolean result of numbers alone carries no derivative: the call is simply made
                return new Pipeline.Recursion(new dev.adjoint.processor.rules.Registry.Entry(callee, null, true),
                        null);
            }
            if (callee.result() != Ty.DOUBLE || differentiable == 0) {
                return new Pipeline.Recursion(null, "recursion is differentiated for a method with a double result "
                        + "and at least one double, double[] or double[][] parameter, called through its generated "
                        + "pullback and pushforward; " + callee.name() + " has " + (callee.result() != Ty.DOUBLE
                                ? "another result" : "no such parameter"));
            }
            String[] why = parser.inaccessible(callee);
            if (why != null) {
                return new Pipeline.Recursion(null, "the generated class calls a recursive method for its value, "
                        + "and it cannot call this one (" + why[0].substring(0, why[0].indexOf(':') < 0
                                ? why[0].length() : why[0].indexOf(':')) + "); " + why[1]);
            }
            PackageElement p = processingEnv.getElementUtils().getPackageOf(owner);
            String grad = (p.isUnnamed() ? "" : p.getQualifiedName() + ".") + gradClassName(owner);
            List<Ty> pullParams = new ArrayList<>(callee.params());
            pullParams.add(Ty.DOUBLE);
            List<Ty> pushParams = new ArrayList<>(callee.params());
            for (Ty t : callee.params()) {
                if (dev.adjoint.processor.rules.Registry.differentiable(t)) {
                    pushParams.add(t);
                    if (t.isArray()) {
                        pullParams.add(t);
                    }
                }
            }
            dev.adjoint.processor.ir.Callee pull = new dev.adjoint.processor.ir.Callee(grad,
                    entryPointName(owner, callee.name(), "Pullback"), pullParams,
                    doubles == 0 ? null : doubles == 1 ? Ty.DOUBLE : Ty.DOUBLE_ARRAY);
            dev.adjoint.processor.ir.Callee push = new dev.adjoint.processor.ir.Callee(grad,
                    entryPointName(owner, callee.name(), "Pushforward"), pushParams, Ty.DOUBLE);
            required.add(e);
            return new Pipeline.Recursion(dev.adjoint.processor.rules.CalleeRules.entry(callee, pull, push,
                    "recursion: the generated entry points of " + callee.name()), null);
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
    /**
     * The entry points other differentiated code calls, for a method of the custom rules' signature (a
     * {@code double} result, {@code double} parameters and others without a derivative): its pullback and its
     * pushforward with respect to every {@code double} parameter, carrying {@code @Pullback} and {@code @Pushforward}
     * so that a later compilation finds them as the method's rules. A method whose derivative with respect to them
     * all has an error (that its own {@code wrt} avoids) gets none, and a caller elsewhere is told it has no rule.
     */
    private boolean addEntryPoints(GradClassWriter writer, TypeElement owner, MethodIR ir, boolean visible,
            boolean recursive, Pipeline.Callees callees, Set<String> typeNames) {
        MethodIR all = entryPointForm(ir);
        List<Ty> types = new ArrayList<>();
        ir.params().forEach(p -> types.add(p.type()));
        if (all == null || callees.registry().lookup(new dev.adjoint.processor.ir.Callee(ir.ownerCanonicalName(),
                ir.name(), types, ir.returnType())) != null) {
            // not of the rules' signature, or the user's own rule is the method's rule
            return false;
        }
        List<Derivative> ds = Pipeline.differentiate(all, List.of(DerivativeRequest.pullback(all),
                DerivativeRequest.jvp(all)), new dev.adjoint.processor.diagnostics.Recorded(), callees);
        if (ds == null) {
            return false;
        }
        writer.addPullback(entryPointName(owner, ir.name(), "Pullback"), (Gradient) ds.get(0), visible, recursive,
                typeNames);
        writer.addPushforward(entryPointName(owner, ir.name(), "Pushforward"), (Jvp) ds.get(1), visible, recursive,
                typeNames);
        return true;
    }

    /**
     * @return the name of a method's entry point: {@code fPullback}, {@code fPushforward}, with {@code _} added
     *     while a {@code @Differentiable} method of the class has that name (its gradient methods would)
     */
    private String entryPointName(TypeElement owner, String method, String kind) {
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        Set<String> taken = new HashSet<>();
        for (Element e : owner.getEnclosedElements()) {
            if (e.getKind() == ElementKind.METHOD && annotation != null) {
                for (javax.lang.model.element.AnnotationMirror m : e.getAnnotationMirrors()) {
                    if (m.getAnnotationType().asElement().equals(annotation)) {
                        taken.add(e.getSimpleName().toString());
                    }
                }
            }
        }
        String name = method + kind;
        while (taken.contains(name)) {
            name = name + "_";
        }
        return name;
    }

    /**
     * @return the method differentiated with respect to all its parameters that carry a derivative ({@code double},
     *     {@code double[]}, {@code double[][]}), if it has the entry points' signature: a {@code double} result, at
     *     least one such parameter, the others {@code int}, {@code long}, {@code boolean} or {@code int[]}; else null
     */
    static MethodIR entryPointForm(MethodIR ir) {
        if (ir.returnType() != Ty.DOUBLE || ir.receiver() != null) {
            // an instance method is not of the custom rules' signature: its object comes first
            return null;
        }
        List<Sym> differentiable = new ArrayList<>();
        for (Sym p : ir.params()) {
            if (dev.adjoint.processor.rules.Registry.differentiable(p.type())) {
                differentiable.add(p);
            } else if (p.type() != Ty.INT && p.type() != Ty.LONG && p.type() != Ty.BOOLEAN
                    && p.type() != Ty.INT_ARRAY) {
                return null; // a receiver, say: not of the custom rules' signature
            }
        }
        return differentiable.isEmpty() ? null : new MethodIR(ir.name(), ir.params(), differentiable,
                ir.returnType(), ir.body(), ir.ownerCanonicalName(), ir.pos());
    }

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
