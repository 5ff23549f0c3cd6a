package dev.adjoint.processor.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIR;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.transform.Gradient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Writes the {@code *Grad} class: for each differentiated method its result type and its two gradient methods
 * (docs/GENERATED-API.md is the contract).
 */
public final class GradClassWriter {
    private static final Set<String> OBJECT_METHODS = Set.of("value", "toString", "hashCode", "equals", "getClass",
            "clone", "finalize", "notify", "notifyAll", "wait");

    private final String pkg;
    private final String gradName;
    private final String ownerCanonical;
    private final String ownerBinary;
    private final String version;
    private final TypeSpec.Builder type;

    /**
     * @param pkg            the package ("" for the default package)
     * @param gradName       the generated class's simple name
     * @param ownerCanonical the user's class, e.g. {@code p.Outer.Inner}
     * @param ownerBinary    its binary name, e.g. {@code p.Outer$Inner}
     * @param version        the processor's version
     * @param javaxGenerated whether to add {@code @javax.annotation.processing.Generated} too (on the class path,
     *                       not in a named module)
     */
    public GradClassWriter(String pkg, String gradName, String ownerCanonical, String ownerBinary, String version,
            boolean javaxGenerated) {
        this.pkg = pkg;
        this.gradName = gradName;
        this.ownerCanonical = ownerCanonical;
        this.ownerBinary = ownerBinary;
        this.version = version;
        this.type = TypeSpec.classBuilder(gradName)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addAnnotation(AnnotationSpec.builder(MARKER)
                        .addMember("value", "$S", ownerBinary)
                        .addMember("version", "$S", version)
                        .build());
        if (javaxGenerated) {
            type.addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                    .addMember("value", "$S", "dev.adjoint.processor.AdjointProcessor")
                    .addMember("comments", "$S", "Adjoint " + version)
                    .build());
        }
        type.addJavadoc("Gradients of the {@code @Differentiable} methods of {@link $L}, written at compile time by\n"
                        + "Adjoint. Each method runs the original computation (the forward sweep) and then its\n"
                        + "reverse sweep, which carries {@code xBar = d(result)/dx} from the result back to the\n"
                        + "parameters. Methods are stateless and thread-safe; a result object must not be shared\n"
                        + "between threads while a call writes into it.\n", ownerCanonical)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
                        .addJavadoc("Not instantiated: the gradient methods are static.\n").build());
    }

    /** The runtime's marker of generated code. */
    private static final ClassName MARKER = ClassName.get("dev.adjoint", "GeneratedFrom");

    /** The result type's names for one method: accessors and fields. */
    public static final class ResultNames {
        private final Map<Sym, String> accessors = new LinkedHashMap<>();
        private final String tapeField;

        /** @param wrt the differentiated parameters */
        public ResultNames(List<Sym> wrt) {
            java.util.Set<String> taken = new java.util.HashSet<>(OBJECT_METHODS);
            for (Sym p : wrt) {
                taken.add(p.name());
            }
            for (Sym p : wrt) {
                String name = p.name();
                if (OBJECT_METHODS.contains(name)) {
                    name = name + "Grad";
                    while (taken.contains(name)) {
                        name = name + "_";
                    }
                    taken.add(name);
                }
                accessors.put(p, name);
            }
            String t = "tape";
            while (taken.contains(t)) {
                t = t + "_";
            }
            tapeField = t;
        }

        /** @return the field that holds the value */
        public String valueField() {
            return "value";
        }

        /** @return the field that holds the tape */
        public String tapeField() {
            return tapeField;
        }

        /** @return the field (and accessor) that holds the gradient of a differentiated parameter */
        public String gradientField(Sym param) {
            return accessors.get(param);
        }
    }

    /**
     * Adds one method's result type and gradient methods.
     *
     * @param resultType         the result type's simple name
     * @param names              its accessor names
     * @param g                  the derivative
     * @param generatedTypeNames simple names the generated file declares or imports (see {@link ExprPrinter})
     */
    public void add(String resultType, ResultNames names, Gradient g, Set<String> generatedTypeNames) {
        MethodIR m = g.request().method();
        ClassName result = pkg.isEmpty() ? ClassName.get("", gradName, resultType)
                : ClassName.get(pkg, gradName, resultType);
        String link = link(m);
        String wrtList = wrtList(m.wrt());

        TypeSpec.Builder r = TypeSpec.classBuilder(resultType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The value of {@link $L} and its gradient with respect to $L.\n", link, wrtList)
                .addJavadoc("A result can be passed back to the gradient method to be overwritten in place.\n");
        r.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Creates an empty result, to be filled by a gradient method.\n").build());
        if (g.usesTape()) {
            r.addField(FieldSpec.builder(ClassName.get("dev.adjoint.runtime", "Tape"), names.tapeField(),
                    Modifier.PRIVATE, Modifier.FINAL).initializer("new $T()", ClassName.get("dev.adjoint.runtime", "Tape"))
                    .build());
        }
        r.addField(FieldSpec.builder(TypeName.DOUBLE, "value", Modifier.PRIVATE).build());
        r.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE)
                .addJavadoc("Returns the value of {@link $L} at the arguments of the last call.\n\n", link)
                .addJavadoc("@return the value of {@link $L}\n", link)
                .addStatement("return value").build());
        // each gradient is labelled with its accessor's name, which no other label can be (value is not one)
        CodeBlock.Builder toString = CodeBlock.builder().add("return $S + value", resultType + "{value=");
        for (Sym p : m.wrt()) {
            String f = names.gradientField(p);
            TypeName t = typeName(p.type());
            r.addField(FieldSpec.builder(t, f, Modifier.PRIVATE).build());
            String shape = p.type().isArray() ? ", in its shape (owned by this result)" : "";
            r.addMethod(MethodSpec.methodBuilder(f).addModifiers(Modifier.PUBLIC).returns(t)
                    .addJavadoc("Returns d$L/d$L, the gradient of {@link $L} with respect to {@code $L}.\n\n",
                            m.name(), p.name(), link, p.name())
                    .addJavadoc("@return d$L/d$L, the gradient with respect to {@code $L}$L\n", m.name(), p.name(),
                            p.name(), shape)
                    .addStatement("return $L", f).build());
            String shown = switch (p.type()) {
                case DOUBLE_ARRAY -> "java.util.Arrays.toString(" + f + ")";
                case DOUBLE_MATRIX -> "java.util.Arrays.deepToString(" + f + ")";
                default -> f;
            };
            toString.add(" + $S + $L", ", " + f + "=", shown);
        }
        toString.add(" + $S;\n", "}");
        r.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Returns the value and the gradient as text, each gradient labelled with the name of its "
                        + "accessor:\n{@code $L{value=..., $L=...}}.\n\n", resultType,
                        m.wrt().isEmpty() ? "x" : names.gradientField(m.wrt().get(0)))
                .addJavadoc("@return the value and the gradient as text\n")
                .returns(String.class).addCode(toString.build()).build());
        type.addType(r.build());

        List<ParameterSpec> params = new ArrayList<>();
        List<String> argNames = new ArrayList<>();
        for (Sym p : m.params()) {
            params.add(ParameterSpec.builder(typeName(p.type()), p.name()).build());
            argNames.add(p.name());
        }
        AnnotationSpec marker = AnnotationSpec.builder(MARKER).addMember("value", "$S", signature(m)).build();
        type.addMethod(MethodSpec.methodBuilder(m.name())
                .addAnnotation(marker)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(result)
                .addParameters(params)
                .addJavadoc("Computes {@link $L} and its gradient with respect to $L, by reverse-mode automatic\n"
                        + "differentiation.\n\n", link, wrtList)
                .addJavadoc(paramDocs(m))
                .addJavadoc("@return a new result holding the value and the gradient\n")
                .addStatement("return $L($L, new $T())", m.name(), String.join(", ", argNames), result)
                .build());
        type.addMethod(MethodSpec.methodBuilder(m.name())
                .addAnnotation(marker)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(result)
                .addParameters(params)
                .addParameter(result, g.outName())
                .addJavadoc("Computes {@link $L} and its gradient with respect to $L into {@code $L}, reusing its\n"
                        + "arrays when the shapes still fit, so that a warm call allocates nothing.\n\n", link, wrtList,
                        g.outName())
                .addJavadoc(paramDocs(m))
                .addJavadoc("@param $L the result to overwrite; null allocates a new one\n", g.outName())
                .addJavadoc("@return {@code $L}, holding the value and the gradient\n", g.outName())
                .addCode(body(g, resultType, names, generatedTypeNames))
                .build());
    }

    /**
     * Adds one method's forward-mode result type and JVP methods: {@code fJvp(params..., tangents...)} and the
     * reuse form with a result to overwrite.
     *
     * @param resultType         the result type's simple name, e.g. {@code LossJvp}
     * @param methodName         the JVP methods' name, e.g. {@code lossJvp}
     * @param j                  the derivative
     * @param generatedTypeNames simple names the generated file declares or imports (see {@link ExprPrinter})
     */
    public void addJvp(String resultType, String methodName, dev.adjoint.processor.transform.Jvp j,
            Set<String> generatedTypeNames) {
        MethodIR m = j.request().method();
        ClassName result = pkg.isEmpty() ? ClassName.get("", gradName, resultType)
                : ClassName.get(pkg, gradName, resultType);
        String link = link(m);
        String wrtList = wrtList(m.wrt());
        TypeSpec.Builder r = TypeSpec.classBuilder(resultType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The value of {@link $L} and its directional derivative along the tangents of $L.\n",
                        link, wrtList)
                .addJavadoc("A result can be passed back to the JVP method to be overwritten in place.\n");
        r.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Creates an empty result, to be filled by a JVP method.\n").build());
        r.addField(FieldSpec.builder(TypeName.DOUBLE, "value", Modifier.PRIVATE).build());
        r.addField(FieldSpec.builder(TypeName.DOUBLE, "tangent", Modifier.PRIVATE).build());
        r.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE)
                .addJavadoc("Returns the value of {@link $L} at the arguments of the last call.\n\n", link)
                .addJavadoc("@return the value of {@link $L}\n", link)
                .addStatement("return value").build());
        r.addMethod(MethodSpec.methodBuilder("tangent").addModifiers(Modifier.PUBLIC).returns(TypeName.DOUBLE)
                .addJavadoc("Returns the directional derivative of {@link $L} along the tangents of the last call:\n"
                        + "the sum over the differentiated parameters of df/dp times p's tangent.\n\n", link)
                .addJavadoc("@return the tangent of the result\n")
                .addStatement("return tangent").build());
        r.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Returns the value and the tangent as text: {@code $L{value=..., tangent=...}}.\n\n",
                        resultType)
                .addJavadoc("@return the value and the tangent as text\n")
                .returns(String.class)
                .addStatement("return $S + value + $S + tangent + $S", resultType + "{value=", ", tangent=", "}")
                .build());
        type.addType(r.build());

        List<ParameterSpec> params = new ArrayList<>();
        List<String> argNames = new ArrayList<>();
        for (Sym p : m.params()) {
            params.add(ParameterSpec.builder(typeName(p.type()), p.name()).build());
            argNames.add(p.name());
        }
        CodeBlock.Builder tangentDocs = CodeBlock.builder();
        for (Map.Entry<Sym, Sym> e : j.tangents().entrySet()) {
            String name = j.symbols().name(e.getValue());
            params.add(ParameterSpec.builder(typeName(e.getKey().type()), name).build());
            argNames.add(name);
            tangentDocs.add("@param $L the tangent of {@code $L}, in its shape\n", name, e.getKey().name());
        }
        AnnotationSpec marker = AnnotationSpec.builder(MARKER).addMember("value", "$S", signature(m)).build();
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addAnnotation(marker)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(result)
                .addParameters(params)
                .addJavadoc("Computes {@link $L} and its directional derivative along the given tangents of $L, by\n"
                        + "forward-mode automatic differentiation (one sweep, nothing stored).\n\n", link, wrtList)
                .addJavadoc(paramDocs(m))
                .addJavadoc(tangentDocs.build())
                .addJavadoc("@return a new result holding the value and the tangent\n")
                .addJavadoc("@throws IllegalArgumentException if a tangent's shape is not its parameter's\n")
                .addStatement("return $L($L, new $T())", methodName, String.join(", ", argNames), result)
                .build());
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addAnnotation(marker)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(result)
                .addParameters(params)
                .addParameter(result, j.outName())
                .addJavadoc("Computes {@link $L} and its directional derivative along the given tangents of $L\n"
                        + "into {@code $L}, by forward-mode automatic differentiation.\n\n", link, wrtList,
                        j.outName())
                .addJavadoc(paramDocs(m))
                .addJavadoc(tangentDocs.build())
                .addJavadoc("@param $L the result to overwrite; null allocates a new one\n", j.outName())
                .addJavadoc("@return {@code $L}, holding the value and the tangent\n", j.outName())
                .addJavadoc("@throws IllegalArgumentException if a tangent's shape is not its parameter's\n")
                .addCode(jvpBody(j, resultType, generatedTypeNames))
                .build());
    }

    private CodeBlock jvpBody(dev.adjoint.processor.transform.Jvp j, String resultType,
            Set<String> generatedTypeNames) {
        MethodIR method = j.request().method();
        Set<String> userNames = new java.util.HashSet<>();
        method.params().forEach(p -> userNames.add(p.name()));
        dev.adjoint.processor.ir.IrWalker.forEachSym(method.body(), s -> userNames.add(s.name()));
        CorePrinter printer = new CorePrinter(new ExprPrinter(pkg, generatedTypeNames, userNames, j.symbols(),
                "tape"));
        String out = j.outName();
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("if ($L == null)", out);
        b.addStatement("$L = new $L()", out, resultType);
        b.endControlFlow();
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        for (Map.Entry<Sym, Sym> e : j.tangents().entrySet()) {
            if (e.getKey().type().isArray()) {
                String name = j.symbols().name(e.getValue());
                b.addStatement("$T.checkShape($L, $L, $S)", buffers, name, e.getKey().name(), name);
            }
        }
        b.add("\n// Forward sweep: the original computation, and beside each active assignment its tangent\n"
                + "// xDot = dx along the given direction (chain rule, one term per active operand).\n");
        b.add(printer.statements(j.sweep()));
        b.addStatement("$L.value = $L", out, j.result().name());
        b.addStatement("$L.tangent = $L", out, j.resultDot() == null ? "0.0" : j.symbols().name(j.resultDot()));
        b.addStatement("return $L", out);
        return b.build();
    }

    /**
     * The body of {@code f(params..., R out)}: buffers from the reusable result object, the forward sweep, the
     * reverse sweep, and the copy of the scalar gradients into the result.
     */
    private CodeBlock body(Gradient g, String resultType, ResultNames fields, Set<String> generatedTypeNames) {
        MethodIR method = g.request().method();
        Set<String> userNames = new java.util.HashSet<>();
        method.params().forEach(p -> userNames.add(p.name()));
        dev.adjoint.processor.ir.IrWalker.forEachSym(method.body(), s -> userNames.add(s.name()));
        CorePrinter printer = new CorePrinter(new ExprPrinter(pkg, generatedTypeNames, userNames, g.symbols(),
                g.tapeName()));
        String out = g.outName();
        CodeBlock.Builder b = CodeBlock.builder();
        b.beginControlFlow("if ($L == null)", out);
        b.addStatement("$L = new $L()", out, resultType);
        b.endControlFlow();
        if (g.usesTape()) {
            b.addStatement("$T $L = $L.$L.reset()", ClassName.get("dev.adjoint.runtime", "Tape"), g.tapeName(), out,
                    fields.tapeField());
        }
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        for (Map.Entry<Sym, Sym> e : g.adjoints().entrySet()) {
            Sym p = e.getKey();
            if (p.type().isArray()) {
                String bar = g.symbols().name(e.getValue());
                if (g.request().wrt().contains(p)) {
                    String f = fields.gradientField(p);
                    b.addStatement("$L $L = $L.$L = $T.zeros($L.$L, $L)", p.type().java(), bar, out, f, buffers, out,
                            f, p.name());
                } else {
                    b.addStatement("$L $L = $T.like($L)", p.type().java(), bar, buffers, p.name());
                }
            }
        }
        b.add("\n// Forward sweep: the original computation, saving what the reverse sweep needs.\n");
        b.add(printer.statements(g.forward()));
        b.addStatement("$L.$L = $L", out, fields.valueField(), g.result().name());
        if (g.resultActive()) {
            b.add("\n// Reverse sweep: xBar = d(result)/dx, from the result back to the parameters.\n");
            b.add(printer.statements(g.reverse()));
            b.add("\n");
        }
        for (Sym p : g.request().wrt()) {
            Sym bar = g.adjoints().get(p);
            if (p.type() == Ty.DOUBLE) {
                b.addStatement("$L.$L = $L", out, fields.gradientField(p), bar != null ? g.symbols().name(bar) : "0.0");
            } else if (bar == null) {
                String f = fields.gradientField(p);
                b.addStatement("$L.$L = $T.zeros($L.$L, $L)", out, f, buffers, out, f, p.name());
            }
        }
        b.addStatement("return $L", out);
        return b.build();
    }

    private static CodeBlock paramDocs(MethodIR m) {
        CodeBlock.Builder b = CodeBlock.builder();
        for (Sym p : m.params()) {
            b.add("@param $L as for the original method\n", p.name());
        }
        return b.build();
    }

    /** {@code loss(double[],double)}: the user's method, as the marker names it. */
    private static String signature(MethodIR m) {
        List<String> types = new ArrayList<>();
        for (Sym p : m.params()) {
            types.add(p.type().java());
        }
        return m.name() + "(" + String.join(",", types) + ")";
    }

    private String link(MethodIR m) {
        List<String> types = new ArrayList<>();
        for (Sym p : m.params()) {
            types.add(p.type().java());
        }
        return ownerCanonical + "#" + m.name() + "(" + String.join(", ", types) + ")";
    }

    private static String wrtList(List<Sym> wrt) {
        List<String> s = new ArrayList<>();
        for (Sym p : wrt) {
            s.add("{@code " + p.name() + "}");
        }
        if (s.size() <= 1) {
            return String.join("", s);
        }
        return String.join(", ", s.subList(0, s.size() - 1)) + " and " + s.get(s.size() - 1);
    }

    /** @return the JavaPoet type of an IR type */
    public static TypeName typeName(Ty t) {
        return switch (t) {
            case DOUBLE -> TypeName.DOUBLE;
            case INT -> TypeName.INT;
            case LONG -> TypeName.LONG;
            case BOOLEAN -> TypeName.BOOLEAN;
            case DOUBLE_ARRAY -> ArrayTypeName.of(TypeName.DOUBLE);
            case DOUBLE_MATRIX -> ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE));
            case INT_ARRAY -> ArrayTypeName.of(TypeName.INT);
        };
    }

    /** @return the source file */
    public JavaFile build() {
        return JavaFile.builder(pkg, type.build())
                .addFileComment("Generated by Adjoint $L from $L. Do not edit: it is rewritten whenever that class\n"
                        + "is compiled. After upgrading Adjoint, rebuild from clean (mvn clean compile) so that no\n"
                        + "class written by an older version stays behind.", version, ownerBinary)
                .indent("    ").skipJavaLangImports(true).build();
    }
}
