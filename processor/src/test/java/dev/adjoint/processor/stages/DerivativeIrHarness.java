package dev.adjoint.processor.stages;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.Differentiable;
import dev.adjoint.processor.Pipeline;
import dev.adjoint.processor.diagnostics.DiagnosticId;
import dev.adjoint.processor.diagnostics.Diagnostics;
import dev.adjoint.processor.ir.DerivativeRequest;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.parse.Parser;
import dev.adjoint.processor.transform.Gradient;
import java.io.File;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Parses the {@code @Differentiable} methods of an in-memory source (as {@code parse.ParserTest} does, with javac
 * in {@code -proc:only} mode) and runs {@link Pipeline#differentiate} on each, so that a test can look at the
 * derivative's IR. Any error, javac's or Adjoint's, fails the test.
 */
final class DerivativeIrHarness {
    private DerivativeIrHarness() {}

    /** The parsed methods and their derivatives, by method name. */
    record Parsed(Map<String, MethodIR> methods, Map<String, Gradient> gradients) {
        Gradient gradient(String method) {
            assertTrue(gradients.containsKey(method), () -> "no method " + method + " was parsed: " + methods.keySet());
            Gradient g = gradients.get(method);
            assertNotNull(g, () -> "no derivative of " + method);
            return g;
        }
    }

    /**
     * @param body methods of class {@code p.S}, which imports {@code dev.adjoint.Differentiable}
     */
    static Parsed differentiate(String body) {
        String source = "package p;\n\nimport dev.adjoint.Differentiable;\n\nclass S {\n" + body + "\n}\n";
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///p/S.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        String classpath = new File(Differentiable.class.getProtectionDomain().getCodeSource().getLocation()
                .getPath()).getPath();
        Run processor = new Run();
        StringWriter output = new StringWriter();
        JavaCompiler.CompilationTask task = compiler.getTask(output, null, collector,
                List.of("-proc:only", "-classpath", classpath), null, List.of(file));
        task.setProcessors(List.of(processor));
        boolean ok = task.call();
        if (!ok || !processor.errors.isEmpty() || output.getBuffer().length() > 0) {
            throw new AssertionError("compiling the source failed: " + collector.getDiagnostics() + " "
                    + processor.errors + " " + output + "\n" + source);
        }
        return new Parsed(processor.methods, processor.gradients);
    }

    /** Parses and differentiates every {@code @Differentiable} method while javac's trees are alive. */
    private static final class Run extends AbstractProcessor {
        final Map<String, MethodIR> methods = new LinkedHashMap<>();
        final Map<String, Gradient> gradients = new LinkedHashMap<>();
        final List<String> errors = new ArrayList<>();

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
            Diagnostics diags = new Diagnostics() {
                @Override
                public void error(DiagnosticId id, Pos pos, String detail, String wayOut) {
                    errors.add(id + ": " + detail);
                }

                @Override
                public int errorCount() {
                    return errors.size();
                }
            };
            for (Element e : round.getElementsAnnotatedWith(Differentiable.class)) {
                ExecutableElement method = (ExecutableElement) e;
                TreePath path = trees.getPath(method);
                MethodTree tree = (MethodTree) path.getLeaf();
                CompilationUnitTree unit = path.getCompilationUnit();
                MethodIR ir = parser.parse(method, tree, unit, diags);
                String name = method.getSimpleName().toString();
                methods.put(name, ir);
                if (ir != null) {
                    gradients.put(name, (Gradient) Pipeline.differentiate(DerivativeRequest.gradient(ir), diags));
                }
            }
            return false;
        }
    }
}
