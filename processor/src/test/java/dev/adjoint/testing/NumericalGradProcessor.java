package dev.adjoint.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A stand-in for the Adjoint processor, for testing the tests: it writes the generated API of docs/GENERATED-API.md
 * (class, both overloads, result type and accessor naming, buffer reuse) but computes each gradient numerically, by
 * calling the user's method through {@link NumericalGradient}. Accurate to about 1e-9 on smooth code.
 *
 * <p>Select it for a whole test run with {@code -Dadjoint.test.processor=dev.adjoint.testing.NumericalGradProcessor}
 * (see {@link Javac#adjoint()}).
 */
public final class NumericalGradProcessor extends AbstractProcessor {
    private static final String ANNOTATION = "dev.adjoint.Differentiable";
    private static final Set<String> RESERVED = Set.of("value", "toString", "hashCode", "equals", "getClass",
            "clone", "finalize", "notify", "notifyAll", "wait");

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ANNOTATION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        if (annotation == null) {
            return false;
        }
        Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
        for (Element e : roundEnv.getElementsAnnotatedWith(annotation)) {
            byClass.computeIfAbsent((TypeElement) e.getEnclosingElement(), k -> new ArrayList<>())
                    .add((ExecutableElement) e);
        }
        byClass.forEach(this::write);
        return false;
    }

    private void write(TypeElement cls, List<ExecutableElement> methods) {
        String pkg = processingEnv.getElementUtils().getPackageOf(cls).getQualifiedName().toString();
        List<String> names = new ArrayList<>();
        for (Element e = cls; !(e instanceof PackageElement); e = e.getEnclosingElement()) {
            names.add(0, e.getSimpleName().toString());
        }
        String genName = String.join("_", names) + "Grad";
        String userClass = String.join(".", names);

        Map<String, Integer> countByName = new HashMap<>();
        for (ExecutableElement m : methods) {
            countByName.merge(m.getSimpleName().toString(), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        if (!pkg.isEmpty()) {
            b.append("package ").append(pkg).append(";\n\n");
        }
        b.append("@javax.annotation.processing.Generated(\"dev.adjoint.testing.NumericalGradProcessor\")\n");
        b.append("public final class ").append(genName).append(" {\n");
        b.append("    private ").append(genName).append("() {}\n");
        Set<String> resultNames = new HashSet<>();
        for (ExecutableElement m : methods) {
            String name = m.getSimpleName().toString();
            String base = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            if (countByName.get(name) > 1) {
                for (VariableElement p : m.getParameters()) {
                    base += code(p.asType());
                }
            }
            String result = base + "Gradient";
            for (int k = 2; !resultNames.add(result.toLowerCase(Locale.ROOT)); k++) {
                result = base + k + "Gradient";
            }
            writeMethod(b, userClass, m, result);
        }
        b.append("}\n");
        String qualified = pkg.isEmpty() ? genName : pkg + "." + genName;
        try (Writer w = processingEnv.getFiler().createSourceFile(qualified, cls).openWriter()) {
            w.write(b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeMethod(StringBuilder b, String userClass, ExecutableElement m, String result) {
        String name = m.getSimpleName().toString();
        List<String> wrt = wrt(m);
        List<String> params = new ArrayList<>();
        List<String> args = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<VariableElement> diff = new ArrayList<>();
        for (VariableElement p : m.getParameters()) {
            String type = p.asType().toString();
            params.add(type + " " + p.getSimpleName());
            args.add(p.getSimpleName().toString());
            classes.add(type + ".class");
            boolean differentiable = type.equals("double") || type.equals("double[]") || type.equals("double[][]");
            if (differentiable && (wrt.isEmpty() || wrt.contains(p.getSimpleName().toString()))) {
                diff.add(p);
            }
        }
        Map<VariableElement, String> accessors = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(RESERVED);
        for (VariableElement p : diff) {
            used.add(p.getSimpleName().toString());   // a parameter's own name always wins (as GradClassWriter)
        }
        for (VariableElement p : diff) {
            String n = p.getSimpleName().toString();
            String a = n;
            if (RESERVED.contains(n)) {
                a = n + "Grad";
                while (used.contains(a)) {
                    a += "_";
                }
                used.add(a);
            }
            accessors.put(p, a);
        }
        String ps = String.join(", ", params);
        String as = String.join(", ", args);
        b.append("\n    public static ").append(result).append(' ').append(name).append('(').append(ps)
                .append(") {\n        return ").append(name).append('(').append(as).append(args.isEmpty() ? "" : ", ")
                .append("null);\n    }\n");
        b.append("\n    public static ").append(result).append(' ').append(name).append('(').append(ps)
                .append(params.isEmpty() ? "" : ", ").append(result).append(" out__) {\n");
        b.append("        ").append(result).append(" r__ = out__ == null ? new ").append(result).append("() : out__;\n");
        b.append("        java.lang.reflect.Method m__ = dev.adjoint.testing.NumericalGradient.method(")
                .append(userClass).append(".class, \"").append(name).append('"')
                .append(classes.isEmpty() ? "" : ", ").append(String.join(", ", classes)).append(");\n");
        b.append("        Object[] args__ = {").append(as).append("};\n");
        int index = 0;
        for (VariableElement p : m.getParameters()) {
            String a = accessors.get(p);
            if (a != null) {
                String type = p.asType().toString();
                b.append("        r__.").append(a).append(" = dev.adjoint.testing.NumericalGradient.partial(m__, args__, ")
                        .append(index).append(type.equals("double") ? "" : ", r__." + a).append(");\n");
            }
            index++;
        }
        b.append("        r__.value = dev.adjoint.testing.NumericalGradient.call(m__, args__);\n");
        b.append("        return r__;\n    }\n");
        // fJvp, as the contract has it: here <numerical gradient, tangent>, so that it agrees with the gradient
        String jvp = result.substring(0, result.length() - "Gradient".length()) + "Jvp";
        List<String> tangentParams = new ArrayList<>(params);
        List<String> sum = new ArrayList<>();
        for (VariableElement p : diff) {
            tangentParams.add(p.asType() + " " + p.getSimpleName() + "Dot__");
            sum.add("dev.adjoint.testing.NumericalGradient.dot(g__." + accessors.get(p) + ", " + p.getSimpleName()
                    + "Dot__)");
        }
        b.append("\n    public static ").append(jvp).append(' ').append(name).append("Jvp(")
                .append(String.join(", ", tangentParams)).append(") {\n");
        b.append("        ").append(result).append(" g__ = ").append(name).append('(').append(as).append(");\n");
        b.append("        ").append(jvp).append(" r__ = new ").append(jvp).append("();\n");
        b.append("        r__.value = g__.value;\n");
        b.append("        r__.tangent = ").append(sum.isEmpty() ? "0.0" : String.join(" + ", sum)).append(";\n");
        b.append("        return r__;\n    }\n");
        b.append("\n    public static final class ").append(jvp).append(" {\n");
        b.append("        double value;\n        double tangent;\n");
        b.append("\n        public double value() {\n            return value;\n        }\n");
        b.append("\n        public double tangent() {\n            return tangent;\n        }\n    }\n");

        b.append("\n    public static final class ").append(result).append(" {\n");
        b.append("        double value;\n");
        accessors.forEach((p, a) -> b.append("        ").append(p.asType()).append(' ').append(a).append(";\n"));
        b.append("\n        public ").append(result).append("() {}\n");
        b.append("\n        public double value() {\n            return value;\n        }\n");
        accessors.forEach((p, a) -> b.append("\n        public ").append(p.asType()).append(' ').append(a)
                .append("() {\n            return ").append(a).append(";\n        }\n"));
        b.append("\n        @Override\n        public String toString() {\n            return \"value \" + value");
        accessors.forEach((p, a) -> b.append(" + \", ").append(a).append(" \" + java.util.Arrays.deepToString(")
                .append("new Object[] {").append(a).append("})"));
        b.append(";\n        }\n    }\n");
    }

    private List<String> wrt(ExecutableElement m) {
        List<String> out = new ArrayList<>();
        for (AnnotationMirror am : m.getAnnotationMirrors()) {
            if (!am.getAnnotationType().toString().equals(ANNOTATION)) {
                continue;
            }
            am.getElementValues().forEach((k, v) -> {
                if (k.getSimpleName().contentEquals("wrt")) {
                    @SuppressWarnings("unchecked")
                    List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) v.getValue();
                    values.forEach(x -> out.add((String) x.getValue()));
                }
            });
        }
        return out;
    }

    private static String code(TypeMirror t) {
        switch (t.toString()) {
            case "double": return "Double";
            case "int": return "Int";
            case "long": return "Long";
            case "boolean": return "Boolean";
            case "double[]": return "DoubleArray";
            case "double[][]": return "DoubleMatrix";
            case "int[]": return "IntArray";
            default: return "Other";
        }
    }
}
