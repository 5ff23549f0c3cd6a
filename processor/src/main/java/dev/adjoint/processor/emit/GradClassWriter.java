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
import dev.adjoint.processor.transform.Scratch;
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
    private boolean markRules = true;

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
                        .build())
                // the generated code calls and reads what the user's code does, which may be a second top-level
                // class of the user's file (legal there, a lint warning from any other file)
                .addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
                        .addMember("value", "$S", "auxiliaryclass").build());
        if (javaxGenerated) {
            type.addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                    .addMember("value", "$S", "dev.adjoint.processor.AdjointProcessor")
                    .addMember("comments", "$S", "Adjoint " + version)
                    .build());
        }
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE)
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
            this(wrt, null);
        }

        /**
         * @param m the method: its differentiated parameters, and for a field of the receiver the accessor name
         *          the parser chose ({@code w}, or {@code thisW} when a parameter is also named {@code w})
         */
        public ResultNames(MethodIR m) {
            this(m.wrt(), m.receiver());
        }

        private ResultNames(List<Sym> wrt, dev.adjoint.processor.ir.Receiver receiver) {
            java.util.Set<String> taken = new java.util.HashSet<>(OBJECT_METHODS);
            for (Sym p : wrt) {
                taken.add(accessorBase(p, receiver));
            }
            for (Sym p : wrt) {
                String name = accessorBase(p, receiver);
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

        private static String accessorBase(Sym p, dev.adjoint.processor.ir.Receiver receiver) {
            dev.adjoint.processor.ir.Receiver.Field f = receiver == null ? null : receiver.fieldOf(p);
            return f == null ? p.name() : f.result();
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
        add(resultType, g.request().method().name(), names, g, generatedTypeNames);
    }

    /**
     * Adds one method's reverse-mode result type and methods: for a {@code double} result the gradient methods
     * {@code f(params...)}, for a {@code double[]} result the VJP methods {@code fVjp(params..., seed)}, each with
     * the reuse form.
     *
     * @param methodName the methods' name
     */
    public void add(String resultType, String methodName, ResultNames names, Gradient g,
            Set<String> generatedTypeNames) {
        MethodIR m = g.request().method();
        ClassName result = pkg.isEmpty() ? ClassName.get("", gradName, resultType)
                : ClassName.get(pkg, gradName, resultType);
        String link = link(m);
        String wrtList = wrtList(m);
        boolean vjp = g.seed() != null;
        String seedName = vjp ? g.symbols().name(g.seed()) : null;
        String what = vjp ? "vector-Jacobian product ({@code " + seedName + "} transposed times the Jacobian)"
                : "gradient";
        TypeName valueType = vjp ? ArrayTypeName.of(TypeName.DOUBLE) : TypeName.DOUBLE;

        TypeSpec.Builder r = TypeSpec.classBuilder(resultType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The value of {@link $L} and its $L with respect to $L.\n", link, what, wrtList)
                .addJavadoc("A result can be passed back to the $L method to be overwritten in place.\n",
                        vjp ? "VJP" : "gradient");
        r.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Creates an empty result, to be filled by a $L method.\n", vjp ? "VJP" : "gradient")
                .build());
        if (g.usesTape()) {
            r.addField(FieldSpec.builder(ClassName.get("dev.adjoint.runtime", "Tape"), names.tapeField(),
                    Modifier.PRIVATE, Modifier.FINAL).initializer("new $T()", ClassName.get("dev.adjoint.runtime", "Tape"))
                    .build());
        }
        Map<Sym, String> scratch = scratchFields(g, names);
        for (Map.Entry<Sym, String> e : scratch.entrySet()) {
            r.addField(FieldSpec.builder(typeName(e.getKey().type()), e.getValue(), Modifier.PRIVATE)
                    .addJavadoc("The array {@code $L} of the last call, for the next one to reuse.\n",
                            g.symbols().name(e.getKey()))
                    .build());
        }
        r.addField(FieldSpec.builder(valueType, "value", Modifier.PRIVATE).build());
        r.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(valueType)
                .addJavadoc("Returns the value of {@link $L} at the arguments of the last call$L.\n\n", link,
                        vjp ? " (a copy, owned by this result)" : "")
                .addJavadoc("@return the value of {@link $L}\n", link)
                .addStatement("return value").build());
        // each gradient is labelled with its accessor's name, which no other label can be (value is not one)
        CodeBlock.Builder toString = CodeBlock.builder().add("return $S + $L", resultType + "{value=",
                vjp ? "java.util.Arrays.toString(value)" : "value");
        for (Sym p : m.wrt()) {
            String f = names.gradientField(p);
            TypeName t = typeName(p.type());
            r.addField(FieldSpec.builder(t, f, Modifier.PRIVATE).build());
            String shape = p.type().isArray() ? ", in its shape (owned by this result)" : "";
            r.addMethod(MethodSpec.methodBuilder(f).addModifiers(Modifier.PUBLIC).returns(t)
                    .addJavadoc("Returns d$L/d$L, the gradient of {@link $L} with respect to {@code $L}.\n\n",
                            m.name(), m.written(p), link, m.written(p))
                    .addJavadoc("@return d$L/d$L, the gradient with respect to {@code $L}$L\n", m.name(),
                            m.written(p), m.written(p), shape)
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

        List<ParameterSpec> params = entryParams(m);
        List<String> argNames = entryArgs(m);
        CodeBlock seedDoc = CodeBlock.builder().build();
        if (vjp) {
            params.add(ParameterSpec.builder(ArrayTypeName.of(TypeName.DOUBLE), seedName).build());
            argNames.add(seedName);
            seedDoc = CodeBlock.of("@param $L the vector the Jacobian is multiplied by from the left, of the "
                    + "result's length\n", seedName);
        }
        AnnotationSpec marker = AnnotationSpec.builder(MARKER).addMember("value", "$S", signature(m)).build();
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addAnnotation(marker)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(result)
                .addParameters(params)
                .addJavadoc("Computes {@link $L} and its $L with respect to $L, by reverse-mode automatic\n"
                        + "differentiation.\n\n", link, what, wrtList)
                .addJavadoc(paramDocs(m))
                .addJavadoc(seedDoc)
                .addJavadoc("@return a new result holding the value and the $L\n", vjp ? "product" : "gradient")
                .addJavadoc(vjp ? CodeBlock.of("@throws IllegalArgumentException if {@code $L}'s length is not the "
                        + "result's\n", seedName) : CodeBlock.builder().build())
                .addStatement("return $L($L, new $T())", methodName, String.join(", ", argNames), result)
                .build());
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addAnnotation(marker)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(result)
                .addParameters(params)
                .addParameter(result, g.outName())
                .addJavadoc("Computes {@link $L} and its $L with respect to $L into {@code $L}, reusing its\n"
                        + "arrays when the shapes still fit, so that a warm call allocates nothing.\n\n", link, what,
                        wrtList, g.outName())
                .addJavadoc(paramDocs(m))
                .addJavadoc(seedDoc)
                .addJavadoc("@param $L the result to overwrite; null allocates a new one\n", g.outName())
                .addJavadoc("@return {@code $L}, holding the value and the $L\n", g.outName(),
                        vjp ? "product" : "gradient")
                .addJavadoc(vjp ? CodeBlock.of("@throws IllegalArgumentException if {@code $L}'s length is not the "
                        + "result's\n", seedName) : CodeBlock.builder().build())
                .addCode(body(g, resultType, names, generatedTypeNames, scratch))
                .build());
    }

    /**
     * Adds the Jacobian of a {@code double[]}-valued method: {@code fJacobian(params...)} and the reuse form, built on
     * its JVP and vector-mode methods (already added). It runs the method once for the value and the result's
     * length m, then one forward and one reverse sweep carrying all m unit seeds ({@link #addVjpRows}) when m is at
     * most the number n of differentiated components, else one forward sweep carrying all n directions. Blocks are
     * in numerator layout: rows are outputs.
     *
     * @param resultType    the Jacobian result type's name
     * @param methodName    the Jacobian methods' name
     * @param jvpMethod     the JVP methods' name
     * @param jvpType       the JVP result type's name
     * @param rowsMethod    the reverse vector-mode method's name ({@link #addVjpRows})
     * @param rowsUseTape   whether that method uses the tape (the result then holds one)
     * @param columnsMethod the vector-mode method's name ({@link #addJvpColumns})
     * @param names         the accessor names (as the VJP's)
     * @param m             the method
     */
    public void addJacobian(String resultType, String methodName, String jvpMethod, String jvpType,
            String rowsMethod, boolean rowsUseTape, String columnsMethod, ResultNames names, MethodIR m) {
        ClassName result = nested(resultType);
        ClassName jvpClass = nested(jvpType);
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        String link = link(m);
        String wrtList = wrtList(m);
        TypeName vector = ArrayTypeName.of(TypeName.DOUBLE);
        TypeSpec.Builder r = TypeSpec.classBuilder(resultType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The value of {@link $L} and its Jacobian with respect to $L, in numerator layout (one\n"
                        + "row per output). A result can be passed back to the Jacobian method to be overwritten in\n"
                        + "place.\n", link, wrtList);
        r.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Creates an empty result, to be filled by a Jacobian method.\n").build());
        r.addField(FieldSpec.builder(vector, "value", Modifier.PRIVATE).build());
        r.addField(FieldSpec.builder(jvpClass, "jvp", Modifier.PRIVATE).build());
        if (rowsUseTape) {
            ClassName tape = ClassName.get("dev.adjoint.runtime", "Tape");
            r.addField(FieldSpec.builder(tape, names.tapeField(), Modifier.PRIVATE, Modifier.FINAL)
                    .initializer("new $T()", tape).build());
        }
        r.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(vector)
                .addJavadoc("Returns the value of {@link $L} at the arguments of the last call (owned by this\n"
                        + "result).\n\n", link)
                .addJavadoc("@return the value of {@link $L}\n", link)
                .addStatement("return value").build());
        CodeBlock.Builder toString = CodeBlock.builder().add("return $S + java.util.Arrays.toString(value)",
                resultType + "{value=");
        for (Sym p : m.wrt()) {
            String f = names.gradientField(p);
            TypeName block = ArrayTypeName.of(typeName(p.type()));
            r.addField(FieldSpec.builder(block, f, Modifier.PRIVATE).build());
            r.addField(FieldSpec.builder(typeName(p.type()), f + "Tangent", Modifier.PRIVATE).build());
            String shape = switch (p.type()) {
                case DOUBLE -> "double[m]";
                case DOUBLE_ARRAY -> "double[m][n], n the length of {@code " + p.name() + "}";
                default -> "double[m][r][c], in the shape of {@code " + p.name() + "} per output";
            };
            r.addMethod(MethodSpec.methodBuilder(f).addModifiers(Modifier.PUBLIC).returns(block)
                    .addJavadoc("Returns the Jacobian block d$L/d$L: row i is the derivative of output i with respect\n"
                            + "to {@code $L}, a $L (owned by this result).\n\n", m.name(), p.name(), p.name(), shape)
                    .addJavadoc("@return d$L/d$L, in numerator layout\n", m.name(), p.name())
                    .addStatement("return $L", f).build());
            toString.add(" + $S + java.util.Arrays.deepToString(new Object[] {$L})", ", " + f + "=", f);
        }
        toString.add(" + $S;\n", "}");
        r.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Returns the value and the Jacobian blocks as text.\n\n")
                .addJavadoc("@return the value and the Jacobian as text\n")
                .returns(String.class).addCode(toString.build()).build());
        type.addType(r.build());

        List<ParameterSpec> params = entryParams(m);
        List<String> argNames = entryArgs(m);
        Set<String> taken = new java.util.HashSet<>(argNames);
        m.params().forEach(p -> taken.add(p.name()));
        String out = fresh("out", taken);
        String mName = fresh("m", taken);
        String nName = fresh("n", taken);
        String i = fresh("i", taken);
        String k = fresh("k", taken);
        String row = fresh("row", taken);
        String value = fresh("value", taken);
        AnnotationSpec marker = AnnotationSpec.builder(MARKER).addMember("value", "$S", signature(m)).build();
        String javadoc = "Computes {@link $L} and its Jacobian with respect to $L. It runs the method once for the\n"
                + "value, then, when the m outputs are at most the n differentiated components, one forward sweep\n"
                + "and one reverse sweep carrying all m unit seeds at once (reverse vector mode: every adjoint holds\n"
                + "one value per output); else one forward sweep carrying all n directions at once (forward vector\n"
                + "mode).\n\n";
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addAnnotation(marker).addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(result)
                .addParameters(params)
                .addJavadoc(javadoc, link, wrtList)
                .addJavadoc(paramDocs(m))
                .addJavadoc("@return a new result holding the value and the Jacobian\n")
                .addStatement("return $L($L, new $T())", methodName, String.join(", ", argNames), result)
                .build());

        CodeBlock.Builder b = CodeBlock.builder();
        b.add(bindings(m));
        b.beginControlFlow("if ($L == null)", out);
        b.addStatement("$L = new $T()", out, result);
        b.endControlFlow();
        b.add("// zero tangents, in the parameters' shapes, and n, the number of differentiated components\n");
        b.addStatement("int $L = 0", nName);
        List<String> zeroTangents = new ArrayList<>();
        for (Sym p : m.wrt()) {
            String t = out + "." + names.gradientField(p) + "Tangent";
            switch (p.type()) {
                case DOUBLE -> {
                    zeroTangents.add("0.0");
                    b.addStatement("$L++", nName);
                }
                case DOUBLE_ARRAY -> {
                    b.addStatement("$L = $T.zeros($L, $L)", t, buffers, t, p.name());
                    b.addStatement("$L += $L.length", nName, p.name());
                    zeroTangents.add(t);
                }
                default -> {
                    b.addStatement("$L = $T.zeros($L, $L)", t, buffers, t, p.name());
                    b.beginControlFlow("for (double[] $L : $L)", row, p.name());
                    b.addStatement("$L += $L.length", nName, row);
                    b.endControlFlow();
                    zeroTangents.add(t);
                }
            }
        }
        List<String> jvpArgs = new ArrayList<>(argNames);
        jvpArgs.addAll(zeroTangents);
        b.addStatement("$L.jvp = $L($L, $L.jvp)", out, jvpMethod, String.join(", ", jvpArgs), out);
        b.addStatement("double[] $L = $L.jvp.value()", value, out);
        b.addStatement("$L.value = $T.copy($L.value, $L)", out, buffers, out, value);
        b.addStatement("int $L = $L == null ? 0 : $L.length", mName, value, value);
        for (Sym p : m.wrt()) {
            String f = out + "." + names.gradientField(p);
            switch (p.type()) {
                case DOUBLE -> b.addStatement("$L = $L != null && $L.length == $L ? $L : new double[$L]", f, f, f,
                        mName, f, mName);
                default -> {
                    b.beginControlFlow("if ($L == null || $L.length != $L)", f, f, mName);
                    b.addStatement("$L = new double[$L][]$L", f, mName, p.type() == Ty.DOUBLE_MATRIX ? "[]" : "");
                    b.endControlFlow();
                }
            }
        }
        b.beginControlFlow("if ($L <= $L)", mName, nName);
        b.add("// reverse mode, all m rows in one forward and one reverse sweep: row i is e_i^T J\n");
        List<String> rowsArgs = new ArrayList<>(argNames);
        rowsArgs.add(mName);
        rowsArgs.add(out);
        b.addStatement("$L($L)", rowsMethod, String.join(", ", rowsArgs));
        b.nextControlFlow("else");
        b.add("// forward mode, all n directions in one sweep: column j is J e_j, e_j the unit vector of\n"
                + "// component j\n");
        ClassName directions = ClassName.get("dev.adjoint.runtime", "Directions");
        String at = fresh("at", taken);
        b.addStatement("int $L = 0", at);
        List<String> columnArgs = new ArrayList<>(argNames);
        List<String> offsets = new ArrayList<>();
        for (Sym p : m.wrt()) {
            String offset = fresh(p.name() + "At", taken);
            String seedName = fresh(p.name() + "Directions", taken);
            offsets.add(offset);
            b.addStatement("int $L = $L", offset, at);
            switch (p.type()) {
                case DOUBLE -> {
                    b.addStatement("double[] $L = $T.unit($L, $L)", seedName, directions, nName, at);
                    b.addStatement("$L++", at);
                }
                case DOUBLE_ARRAY -> {
                    b.addStatement("double[][] $L = $T.units($L, $L, $L)", seedName, directions, p.name(), nName, at);
                    b.addStatement("$L += $L.length", at, p.name());
                }
                default -> {
                    b.addStatement("double[][][] $L = $T.units($L, $L, $L)", seedName, directions, p.name(), nName,
                            at);
                    b.beginControlFlow("for (double[] $L : $L)", row, p.name());
                    b.addStatement("$L += $L.length", at, row);
                    b.endControlFlow();
                }
            }
            columnArgs.add(seedName);
        }
        columnArgs.add(nName);
        String columns = fresh("columns", taken);
        b.addStatement("double[][] $L = $L($L)", columns, columnsMethod, String.join(", ", columnArgs));
        b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, mName, i);
        int q = 0;
        for (Sym p : m.wrt()) {
            String f = out + "." + names.gradientField(p);
            String offset = offsets.get(q++);
            switch (p.type()) {
                case DOUBLE -> b.addStatement("$L[$L] = $L[$L][$L]", f, i, columns, i, offset);
                case DOUBLE_ARRAY -> {
                    b.addStatement("$L[$L] = $L[$L] != null && $L[$L].length == $L.length ? $L[$L] : new double[$L.length]",
                            f, i, f, i, f, i, p.name(), f, i, p.name());
                    b.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", k, k, p.name(), k);
                    b.addStatement("$L[$L][$L] = $L[$L][$L + $L]", f, i, k, columns, i, offset, k);
                    b.endControlFlow();
                }
                default -> {
                    String c = fresh("c", taken);
                    String flat = fresh("flat", taken);
                    b.addStatement("$L[$L] = $T.zeros($L[$L], $L)", f, i, buffers, f, i, p.name());
                    b.addStatement("int $L = $L", flat, offset);
                    b.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", k, k, p.name(), k);
                    b.beginControlFlow("for (int $L = 0; $L < $L[$L].length; $L++)", c, c, p.name(), k, c);
                    b.addStatement("$L[$L][$L][$L] = $L[$L][$L++]", f, i, k, c, columns, i, flat);
                    b.endControlFlow();
                    b.endControlFlow();
                }
            }
        }
        b.endControlFlow();
        b.endControlFlow();
        b.addStatement("return $L", out);
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addAnnotation(marker).addModifiers(Modifier.PUBLIC, Modifier.STATIC).returns(result)
                .addParameters(params)
                .addParameter(result, out)
                .addJavadoc(javadoc, link, wrtList)
                .addJavadoc(paramDocs(m))
                .addJavadoc("@param $L the result to overwrite, reusing its arrays when the shapes still fit; null\n"
                        + "allocates a new one\n", out)
                .addJavadoc("@return {@code $L}, holding the value and the Jacobian\n", out)
                .addCode(b.build())
                .build());
    }

    /**
     * Adds the private {@code fJacobianColumns(params..., directions..., int width)}: one forward sweep in vector
     * mode, returning the result's tangents {@code double[m][width]}, J times the given directions.
     */
    public void addJvpColumns(String methodName, dev.adjoint.processor.transform.Jvp j,
            Set<String> generatedTypeNames) {
        MethodIR m = j.request().method();
        List<ParameterSpec> params = entryParams(m);
        for (Map.Entry<Sym, Sym> e : j.tangents().entrySet()) {
            params.add(ParameterSpec.builder(typeName(e.getValue().type()), j.symbols().name(e.getValue())).build());
        }
        params.add(ParameterSpec.builder(TypeName.INT, j.symbols().name(j.width())).build());
        CorePrinter printer = printer(m, j.symbols(), "tape", generatedTypeNames);
        CodeBlock.Builder b = CodeBlock.builder();
        b.add(bindings(m));
        b.add("// Forward sweep in vector mode: each tangent xDot[d] carries direction d of " + "$L.\n",
                j.symbols().name(j.width()));
        b.add(printer.statements(j.sweep()));
        if (j.resultDot() == null) {
            b.addStatement("return $L == null ? null : new double[$L.length][$L]", j.result().name(),
                    j.result().name(), j.symbols().name(j.width()));
        } else {
            b.addStatement("return $L", j.symbols().name(j.resultDot()));
        }
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)))
                .addParameters(params)
                .addJavadoc("The columns of the Jacobian of {@link $L} along the given directions, by one forward\n"
                        + "sweep carrying them all (vector mode): row i is output i, column d direction d.\n",
                        link(m))
                .addCode(b.build())
                .build());
    }

    /**
     * Adds the private {@code fJacobianRows(params..., int m, FJacobian out)}: one forward sweep and one reverse
     * sweep in vector mode ({@link dev.adjoint.processor.ir.DerivativeRequest.Mode#VJP_DIRECTIONS}), every adjoint
     * carrying one value per output, then row i of each Jacobian block of {@code out} from direction i of the
     * parameters' adjoints.
     */
    public void addVjpRows(String methodName, String resultType, ResultNames fields, Gradient g,
            Set<String> generatedTypeNames) {
        MethodIR m = g.request().method();
        dev.adjoint.processor.ir.SymbolTable symbols = g.symbols();
        ClassName result = nested(resultType);
        List<ParameterSpec> params = entryParams(m);
        String width = symbols.name(g.width());
        String out = g.outName();
        params.add(ParameterSpec.builder(TypeName.INT, width).build());
        params.add(ParameterSpec.builder(result, out).build());
        CorePrinter printer = printer(m, symbols, g.tapeName(), generatedTypeNames);
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        ClassName directions = ClassName.get("dev.adjoint.runtime", "Directions");
        CodeBlock.Builder b = CodeBlock.builder();
        b.add(bindings(m));
        if (g.usesTape()) {
            b.addStatement("$T $L = $L.$L.reset()", ClassName.get("dev.adjoint.runtime", "Tape"), g.tapeName(), out,
                    fields.tapeField());
        }
        for (Map.Entry<Sym, Sym> e : g.adjoints().entrySet()) {
            Sym p = e.getKey();
            if (p.type().isArray()) {
                b.addStatement("$L $L = $T.like($L, $L)", e.getValue().type().java(), symbols.name(e.getValue()),
                        directions, p.name(), width);
            }
        }
        b.add("\n// Forward sweep: the original computation, saving what the reverse sweep needs.\n");
        b.add(printer.statements(g.forward()));
        if (g.resultActive()) {
            b.add("\n// Reverse sweep in vector mode: direction d of xBar is d(result[d])/dx, all $L outputs at "
                    + "once.\n", width);
            b.add(printer.statements(g.reverse()));
        }
        String i = symbols.freshName("row");
        String k = symbols.freshName("k");
        String c = symbols.freshName("c");
        b.add("\n// the Jacobian in numerator layout: each output's row is that output's direction of the adjoints\n");
        b.beginControlFlow("for (int $L = 0; $L < $L; $L++)", i, i, width, i);
        for (Sym p : m.wrt()) {
            Sym bar = g.adjoints().get(p);
            String bn = bar == null ? null : symbols.name(bar);
            String f = out + "." + fields.gradientField(p);
            switch (p.type()) {
                case DOUBLE -> b.addStatement("$L[$L] = $L", f, i, bar == null ? "0.0" : bn + "[" + i + "]");
                case DOUBLE_ARRAY -> {
                    b.addStatement("$L[$L] = $T.zeros($L[$L], $L)", f, i, buffers, f, i, p.name());
                    if (bar != null) {
                        b.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", k, k, p.name(), k);
                        b.addStatement("$L[$L][$L] = $L[$L][$L]", f, i, k, bn, k, i);
                        b.endControlFlow();
                    }
                }
                default -> {
                    b.addStatement("$L[$L] = $T.zeros($L[$L], $L)", f, i, buffers, f, i, p.name());
                    if (bar != null) {
                        b.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", k, k, p.name(), k);
                        b.beginControlFlow("for (int $L = 0; $L < $L[$L].length; $L++)", c, c, p.name(), k, c);
                        b.addStatement("$L[$L][$L][$L] = $L[$L][$L][$L]", f, i, k, c, bn, k, c, i);
                        b.endControlFlow();
                        b.endControlFlow();
                    }
                }
            }
        }
        b.endControlFlow();
        type.addMethod(MethodSpec.methodBuilder(methodName)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameters(params)
                .addJavadoc("The rows of the Jacobian of {@link $L} into {@code $L}, by one forward sweep and one\n"
                        + "reverse sweep carrying all $L unit seeds (reverse vector mode).\n", link(m), out, width)
                .addCode(b.build())
                .build());
    }

    /** @return the printer of one derivative's IR: the user's variable names obscure type names of their spelling */
    private CorePrinter printer(MethodIR method, dev.adjoint.processor.ir.SymbolTable symbols, String tape,
            Set<String> generatedTypeNames) {
        Set<String> userNames = new java.util.HashSet<>();
        method.params().forEach(p -> userNames.add(p.name()));
        dev.adjoint.processor.ir.IrWalker.forEachSym(method.body(), s -> userNames.add(s.name()));
        return new CorePrinter(new ExprPrinter(pkg, generatedTypeNames, userNames, symbols, tape, gradName));
    }

    private ClassName nested(String simple) {
        return pkg.isEmpty() ? ClassName.get("", gradName, simple) : ClassName.get(pkg, gradName, simple);
    }

    private static String fresh(String base, Set<String> taken) {
        String name = base;
        while (taken.contains(name) || javax.lang.model.SourceVersion.isKeyword(name)) {
            name = name + "_";
        }
        taken.add(name);
        return name;
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
        String wrtList = wrtList(m);
        TypeSpec.Builder r = TypeSpec.classBuilder(resultType)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The value of {@link $L} and its directional derivative along the tangents of $L.\n",
                        link, wrtList)
                .addJavadoc("A result can be passed back to the JVP method to be overwritten in place.\n");
        r.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addJavadoc("Creates an empty result, to be filled by a JVP method.\n").build());
        boolean vector = j.result().type() == Ty.DOUBLE_ARRAY;
        TypeName valueType = vector ? ArrayTypeName.of(TypeName.DOUBLE) : TypeName.DOUBLE;
        r.addField(FieldSpec.builder(valueType, "value", Modifier.PRIVATE).build());
        r.addField(FieldSpec.builder(valueType, "tangent", Modifier.PRIVATE).build());
        Map<Sym, String> scratch = jvpScratchFields(j);
        for (Map.Entry<Sym, String> e : scratch.entrySet()) {
            r.addField(FieldSpec.builder(typeName(e.getKey().type()), e.getValue(), Modifier.PRIVATE)
                    .addJavadoc("The array {@code $L} of the last call, for the next one to reuse.\n",
                            j.symbols().name(e.getKey()))
                    .build());
        }
        r.addMethod(MethodSpec.methodBuilder("value").addModifiers(Modifier.PUBLIC).returns(valueType)
                .addJavadoc("Returns the value of {@link $L} at the arguments of the last call.\n\n", link)
                .addJavadoc("@return the value of {@link $L}\n", link)
                .addStatement("return value").build());
        r.addMethod(MethodSpec.methodBuilder("tangent").addModifiers(Modifier.PUBLIC).returns(valueType)
                .addJavadoc("Returns the directional derivative of {@link $L} along the tangents of the last call:\n"
                        + "the sum over the differentiated parameters of df/dp times p's tangent$L.\n\n", link,
                        vector ? " (J times the tangents; owned by this result)" : "")
                .addJavadoc("@return the tangent of the result\n")
                .addStatement("return tangent").build());
        r.addMethod(MethodSpec.methodBuilder("toString").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .addJavadoc("Returns the value and the tangent as text: {@code $L{value=..., tangent=...}}.\n\n",
                        resultType)
                .addJavadoc("@return the value and the tangent as text\n")
                .returns(String.class)
                .addStatement(vector ? "return $S + java.util.Arrays.toString(value) + $S + "
                        + "java.util.Arrays.toString(tangent) + $S" : "return $S + value + $S + tangent + $S",
                        resultType + "{value=", ", tangent=", "}")
                .build());
        type.addType(r.build());

        List<ParameterSpec> params = entryParams(m);
        List<String> argNames = entryArgs(m);
        CodeBlock.Builder tangentDocs = CodeBlock.builder();
        for (Map.Entry<Sym, Sym> e : j.tangents().entrySet()) {
            String name = j.symbols().name(e.getValue());
            params.add(ParameterSpec.builder(typeName(e.getKey().type()), name).build());
            argNames.add(name);
            tangentDocs.add("@param $L the tangent of {@code $L}, in its shape\n", name, m.written(e.getKey()));
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
                .addCode(jvpBody(j, resultType, generatedTypeNames, scratch))
                .build());
    }

    private CodeBlock jvpBody(dev.adjoint.processor.transform.Jvp j, String resultType,
            Set<String> generatedTypeNames, Map<Sym, String> scratch) {
        MethodIR method = j.request().method();
        String out = j.outName();
        Map<Sym, String> owned = new LinkedHashMap<>();
        scratch.forEach((s, f) -> owned.put(s, out + "." + f));
        CorePrinter printer = printer(method, j.symbols(), "tape", generatedTypeNames).withScratch(owned);
        CodeBlock.Builder b = CodeBlock.builder();
        b.add(bindings(method));
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
        if (j.result().type() == Ty.DOUBLE_ARRAY) {
            // copies, owned by the result: the value may be an argument's array, the tangent a tangent argument
            b.addStatement("$L.value = $T.copy($L.value, $L)", out, buffers, out, j.result().name());
            if (j.resultDot() == null) {
                b.addStatement("$L.tangent = $T.zeros($L.tangent, $L)", out, buffers, out, j.result().name());
            } else {
                b.addStatement("$L.tangent = $T.copy($L.tangent, $L)", out, buffers, out,
                        j.symbols().name(j.resultDot()));
            }
        } else {
            b.addStatement("$L.value = $L", out, j.result().name());
            b.addStatement("$L.tangent = $L", out, j.resultDot() == null ? "0.0" : j.symbols().name(j.resultDot()));
        }
        b.addStatement("return $L", out);
        return b.build();
    }

    /**
     * The body of {@code f(params..., R out)}: buffers from the reusable result object, the forward sweep, the
     * reverse sweep, and the copy of the scalar gradients into the result.
     */
    private CodeBlock body(Gradient g, String resultType, ResultNames fields, Set<String> generatedTypeNames,
            Map<Sym, String> scratch) {
        MethodIR method = g.request().method();
        String out = g.outName();
        Map<Sym, String> owned = new LinkedHashMap<>();
        scratch.forEach((s, f) -> owned.put(s, out + "." + f));
        CorePrinter printer = printer(method, g.symbols(), g.tapeName(), generatedTypeNames).withScratch(owned);
        CodeBlock.Builder b = CodeBlock.builder();
        b.add(bindings(method));
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
        if (g.seed() != null) {
            b.addStatement("$T.checkShape($L, $L, $S)", buffers, g.symbols().name(g.seed()), g.result().name(),
                    g.symbols().name(g.seed()));
            b.addStatement("$L.$L = $T.copy($L.$L, $L)", out, fields.valueField(), buffers, out, fields.valueField(),
                    g.result().name());
        } else {
            b.addStatement("$L.$L = $L", out, fields.valueField(), g.result().name());
        }
        if (g.resultActive()) {
            if (g.seed() != null) {
                b.add("\n// Reverse sweep: xBar = sum over i of $L[i] * d(result[i])/dx, from the result back to the\n"
                        + "// parameters.\n", g.symbols().name(g.seed()));
            } else {
                b.add("\n// Reverse sweep: xBar = d(result)/dx, from the result back to the parameters.\n");
            }
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

    /**
     * @return the result's fields for the local arrays the reuse form takes from it ({@link Scratch}), named after
     *     the arrays ({@code sumQ} is kept in {@code sumQScratch}), none of them an accessor's, the tape's or the
     *     value's
     */
    private static Map<Sym, String> scratchFields(Gradient g, ResultNames names) {
        Set<String> taken = new java.util.HashSet<>(OBJECT_METHODS);
        taken.add(names.tapeField());
        taken.add(names.valueField());
        for (Sym p : g.request().method().wrt()) {
            taken.add(names.gradientField(p));
        }
        Map<Sym, String> fields = new LinkedHashMap<>();
        for (Sym s : Scratch.arrays(g.forward(), g.reverse(), g.result())) {
            String f = g.symbols().name(s) + "Scratch";
            while (taken.contains(f)) {
                f = f + "_";
            }
            taken.add(f);
            fields.put(s, f);
        }
        return fields;
    }

    /** @return as {@link #scratchFields}, for a JVP's result (whose fields are value and tangent) */
    private static Map<Sym, String> jvpScratchFields(dev.adjoint.processor.transform.Jvp j) {
        Set<String> taken = new java.util.HashSet<>(OBJECT_METHODS);
        taken.add("tangent");
        Map<Sym, String> fields = new LinkedHashMap<>();
        for (Sym s : Scratch.arrays(j.sweep(), new dev.adjoint.processor.ir.Core.Block(List.of(),
                j.sweep().pos()), j.result())) {
            String f = j.symbols().name(s) + "Scratch";
            while (taken.contains(f)) {
                f = f + "_";
            }
            taken.add(f);
            fields.put(s, f);
        }
        return fields;
    }

    private static CodeBlock paramDocs(MethodIR m) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (m.receiver() != null) {
            b.add("@param $L the object the original method runs on (its fields are read once, at the start)\n",
                    m.receiver().name());
        }
        for (Sym p : m.ownParams()) {
            b.add("@param $L as for the original method\n", p.name());
        }
        return b.build();
    }

    /**
     * @return the parameters of an entry point: the method's own, after the object it runs on for an instance
     *     method
     */
    private List<ParameterSpec> entryParams(MethodIR m) {
        List<ParameterSpec> params = new ArrayList<>();
        if (m.receiver() != null) {
            params.add(ParameterSpec.builder(receiverType(m.receiver()), m.receiver().name()).build());
        }
        for (Sym p : m.ownParams()) {
            params.add(ParameterSpec.builder(typeName(p.type()), p.name()).build());
        }
        return params;
    }

    /** @return the names of {@link #entryParams}, to pass them on */
    private static List<String> entryArgs(MethodIR m) {
        List<String> args = new ArrayList<>();
        if (m.receiver() != null) {
            args.add(m.receiver().name());
        }
        for (Sym p : m.ownParams()) {
            args.add(p.name());
        }
        return args;
    }

    /** @return the JavaPoet name of the receiver's class, from its binary name */
    private ClassName receiverType(dev.adjoint.processor.ir.Receiver r) {
        String binary = r.binary();
        String simple = pkg.isEmpty() ? binary : binary.substring(pkg.length() + 1);
        String[] parts = simple.split("\\$");
        return ClassName.get(pkg, parts[0], java.util.Arrays.copyOfRange(parts, 1, parts.length));
    }

    /**
     * @return the start of every generated method of an instance method: each field the method reads, bound to a
     *     local of the name its code uses ({@code double[] w = model.w;}, {@code model.w()} for a record's
     *     component), read once
     */
    private static CodeBlock bindings(MethodIR m) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (m.receiver() == null || m.receiver().fields().isEmpty()) {
            return b.build();
        }
        b.add("// the fields of $L that $L reads, read once\n", m.receiver().name(), m.name());
        for (dev.adjoint.processor.ir.Receiver.Field f : m.receiver().fields()) {
            b.addStatement("$T $L = $L.$L$L", typeName(f.sym().type()), f.sym().name(), m.receiver().name(),
                    f.field(), f.accessor() ? "()" : "");
        }
        return b.build();
    }

    /** {@code loss(double[],double)}: the user's method, as the marker names it. */
    private static String signature(MethodIR m) {
        List<String> types = new ArrayList<>();
        for (Sym p : m.ownParams()) {
            types.add(p.type().java());
        }
        return m.name() + "(" + String.join(",", types) + ")";
    }

    private String link(MethodIR m) {
        List<String> types = new ArrayList<>();
        for (Sym p : m.ownParams()) {
            types.add(p.type().java());
        }
        return ownerCanonical + "#" + m.name() + "(" + String.join(", ", types) + ")";
    }

    private static String wrtList(MethodIR m) {
        List<String> s = new ArrayList<>();
        for (Sym p : m.wrt()) {
            s.add("{@code " + m.written(p) + "}");
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
            case TENSOR3 -> ArrayTypeName.of(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)));
        };
    }

    /** @return the source file */
    /**
     * Adds the generated class's copies of private computed constants its methods read, in order (each initializer
     * reads only copies before it).
     */
    public void addConstants(List<dev.adjoint.processor.ir.ConstantCopy> copies, Set<String> generatedTypeNames) {
        ExprPrinter printer = new ExprPrinter(pkg, generatedTypeNames, Set.of(), null, "tape", gradName);
        for (dev.adjoint.processor.ir.ConstantCopy c : copies) {
            type.addField(FieldSpec.builder(typeName(c.type()), c.name(), Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer("$L", printer.print(c.init()))
                    .addJavadoc("A copy of {@code $L} of {@link $L}, which is private: the same initializer.\n",
                            c.name(), ownerCanonical)
                    .build());
        }
    }

    /**
     * Adds the pullback entry point of a {@code double}-valued method (docs/GENERATED-API.md): {@code static R
     * fPullback(params..., double yBar, xBar...)}, with one adjoint array {@code xBar} for each {@code double[]} and
     * {@code double[][]} parameter, into which it adds ȳ·∂f/∂x (null: not wanted), and returning ȳ·∂f/∂x of its one
     * {@code double} parameter, or the k of them as a {@code double[]} in parameter order (R is {@code void} when it
     * has none). It is the signature of a user's {@code @Pullback}, and it carries that annotation: a later
     * compilation that calls the method, with only this class on its class path, finds it there as the method's
     * rule.
     *
     * @param methodName the entry point's name
     * @param g          the derivative ({@link dev.adjoint.processor.ir.DerivativeRequest.Mode#PULLBACK}, with
     *                   respect to every parameter that carries a derivative)
     * @param visible    whether it is public (else package-private, for a method that is not public)
     * @param recursive  whether the method is recursive (a stack overflow then becomes one clear exception)
     */
    public void addPullback(String methodName, Gradient g, boolean visible, boolean recursive,
            Set<String> generatedTypeNames) {
        MethodIR m = g.request().method();
        CorePrinter printer = printer(m, g.symbols(), g.tapeName(), generatedTypeNames);
        String seed = g.symbols().name(g.seed());
        List<Sym> scalars = new ArrayList<>();
        List<Sym> arrays = new ArrayList<>();
        for (Sym p : g.request().wrt()) {
            (p.type() == Ty.DOUBLE ? scalars : arrays).add(p);
        }
        MethodSpec.Builder b = MethodSpec.methodBuilder(methodName)
                .addAnnotation(AnnotationSpec.builder(MARKER).addMember("value", "$S", signature(m)).build())
                .addModifiers(visible ? new Modifier[] {Modifier.PUBLIC, Modifier.STATIC}
                        : new Modifier[] {Modifier.STATIC})
                .returns(scalars.isEmpty() ? TypeName.VOID : scalars.size() == 1 ? TypeName.DOUBLE
                        : ArrayTypeName.of(TypeName.DOUBLE))
                .addJavadoc("The pullback of {@link $L}: given the adjoint {@code $L} of its result, $L, by\n"
                        + "reverse-mode automatic differentiation (the reverse rule differentiated code calls;\n"
                        + "docs/GENERATED-API.md).\n\n", link(m), seed, what(m, seed, scalars, arrays))
                .addJavadoc(paramDocs(m))
                .addJavadoc("@param $L the adjoint of the result\n", seed);
        for (Sym p : m.params()) {
            b.addParameter(typeName(p.type()), p.name());
        }
        b.addParameter(TypeName.DOUBLE, seed);
        CodeBlock.Builder body = CodeBlock.builder();
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        for (Sym p : arrays) {
            Sym bar = g.adjoints().get(p);
            String name = bar != null ? g.symbols().name(bar) : g.symbols().freshName(p.name() + "Bar");
            b.addParameter(typeName(p.type()), name);
            b.addJavadoc("@param $L where $L\u00b7d$L/d$L is added, in the shape of {@code $L}; null if not wanted\n",
                    name, seed, m.name(), p.name(), p.name());
            body.beginControlFlow("if ($L == null)", name)
                    .addStatement("$L = $T.like($L)", name, buffers, p.name())
                    .nextControlFlow("else")
                    .addStatement("$T.checkShape($L, $L, $S)", buffers, name, p.name(), name)
                    .endControlFlow();
        }
        if (!scalars.isEmpty()) {
            b.addJavadoc("@return $L\n", scalars.size() == 1 ? "the adjoint of {@code " + scalars.get(0).name()
                    + "}" : "the adjoints of the double parameters, in parameter order");
        }
        if (!arrays.isEmpty()) {
            b.addJavadoc("@throws IllegalArgumentException if an adjoint array's shape is not its parameter's\n");
        }
        rule(b, "Pullback", m);
        if (g.usesTape()) {
            ClassName tape = ClassName.get("dev.adjoint.runtime", "Tape");
            body.addStatement("$T $L = new $T()", tape, g.tapeName(), tape);
        }
        body.add("// Forward sweep: the original computation, saving what the reverse sweep needs.\n");
        body.add(printer.statements(g.forward()));
        if (g.resultActive()) {
            body.add("\n// Reverse sweep: xBar = $L * d(result)/dx, from the result back to the parameters.\n", seed);
            body.add(printer.statements(g.reverse()));
        }
        List<String> bars = new ArrayList<>();
        for (Sym p : scalars) {
            Sym bar = g.adjoints().get(p);
            bars.add(bar != null && g.resultActive() ? g.symbols().name(bar) : "0.0");
        }
        if (scalars.size() == 1) {
            body.addStatement("return $L", bars.get(0));
        } else if (scalars.size() > 1) {
            body.addStatement("return new double[] {$L}", String.join(", ", bars));
        }
        type.addMethod(b.addCode(recursive ? deepest(body.build(), m, g.symbols(), "pullback") : body.build())
                .build());
    }

    /** @return what a pullback computes, for its Javadoc */
    private static String what(MethodIR m, String seed, List<Sym> scalars, List<Sym> arrays) {
        List<String> parts = new ArrayList<>();
        if (!arrays.isEmpty()) {
            parts.add("adds " + seed + "\u00b7d" + m.name() + "/dx into the adjoint array of each array parameter x ("
                    + String.join(", ", arrays.stream().map(Sym::name).toList()) + ")");
        }
        if (scalars.size() == 1) {
            parts.add("returns " + seed + "\u00b7d" + m.name() + "/d" + scalars.get(0).name());
        } else if (scalars.size() > 1) {
            parts.add("returns the " + scalars.size() + " values " + seed + "\u00b7d" + m.name() + "/dx for x = "
                    + String.join(", ", scalars.stream().map(Sym::name).toList()) + ", in that order");
        }
        return String.join(" and ", parts);
    }

    /**
     * Adds the pushforward entry point of a {@code double}-valued method (docs/GENERATED-API.md): {@code static
     * double fPushforward(params..., xDot...)}, one tangent for each {@code double}, {@code double[]} and
     * {@code double[][]} parameter (an array's null: zero), returning Σ ∂f/∂x·xDot. It is the signature of a user's
     * {@code @Pushforward} and carries that annotation (see {@link #addPullback}).
     *
     * @param methodName the entry point's name
     * @param j          the derivative (a JVP with respect to every parameter that carries a derivative)
     * @param visible    whether it is public (else package-private)
     * @param recursive  whether the method is recursive
     */
    public void addPushforward(String methodName, dev.adjoint.processor.transform.Jvp j, boolean visible,
            boolean recursive, Set<String> generatedTypeNames) {
        MethodIR m = j.request().method();
        CorePrinter printer = printer(m, j.symbols(), "tape", generatedTypeNames);
        MethodSpec.Builder b = MethodSpec.methodBuilder(methodName)
                .addAnnotation(AnnotationSpec.builder(MARKER).addMember("value", "$S", signature(m)).build())
                .addModifiers(visible ? new Modifier[] {Modifier.PUBLIC, Modifier.STATIC}
                        : new Modifier[] {Modifier.STATIC})
                .returns(TypeName.DOUBLE)
                .addJavadoc("The pushforward of {@link $L}: given the tangents of its parameters, returns the\n"
                        + "tangent of its result, the sum of d$L/dx times x's tangent, by forward-mode automatic\n"
                        + "differentiation (the forward rule differentiated code calls; docs/GENERATED-API.md).\n\n",
                        link(m), m.name())
                .addJavadoc(paramDocs(m));
        for (Sym p : m.params()) {
            b.addParameter(typeName(p.type()), p.name());
        }
        CodeBlock.Builder body = CodeBlock.builder();
        ClassName buffers = ClassName.get("dev.adjoint.runtime", "Buffers");
        boolean arrays = false;
        for (Map.Entry<Sym, Sym> e : j.tangents().entrySet()) {
            String name = j.symbols().name(e.getValue());
            Sym p = e.getKey();
            b.addParameter(typeName(p.type()), name);
            b.addJavadoc("@param $L the tangent of {@code $L}$L\n", name, p.name(),
                    p.type().isArray() ? ", in its shape; null for zero" : "");
            if (p.type().isArray()) {
                arrays = true;
                body.beginControlFlow("if ($L == null)", name)
                        .addStatement("$L = $T.like($L)", name, buffers, p.name())
                        .nextControlFlow("else")
                        .addStatement("$T.checkShape($L, $L, $S)", buffers, name, p.name(), name)
                        .endControlFlow();
            }
        }
        b.addJavadoc("@return the tangent of the result\n");
        if (arrays) {
            b.addJavadoc("@throws IllegalArgumentException if a tangent's shape is not its parameter's\n");
        }
        rule(b, "Pushforward", m);
        body.add("// Forward sweep: the original computation, and beside each active assignment its tangent.\n");
        body.add(printer.statements(j.sweep()));
        body.addStatement("return $L", j.resultDot() == null ? "0.0" : j.symbols().name(j.resultDot()));
        type.addMethod(b.addCode(recursive ? deepest(body.build(), m, j.symbols(), "pushforward") : body.build())
                .build());
    }

    /**
     * The body of a recursive method's entry point, which calls itself once per level of the recursion: a recursion
     * deeper than the thread's stack allows ends in one clear exception, not a stack overflow inside generated
     * code.
     */
    private CodeBlock deepest(CodeBlock body, MethodIR m, dev.adjoint.processor.ir.SymbolTable symbols,
            String kind) {
        String e = symbols.freshName("overflow");
        return CodeBlock.builder()
                .beginControlFlow("try")
                .add(body)
                .nextControlFlow("catch ($T $L)", StackOverflowError.class, e)
                .addStatement("throw new $T($S, $L)", IllegalStateException.class, "Adjoint: the " + kind + " of "
                        + ownerCanonical + "." + m.name() + " recursed deeper than this thread's stack allows (it "
                        + "needs a frame per level, as the method does, and larger ones); run it on a thread with "
                        + "a larger stack (new Thread(group, task, name, stackSize)) or raise -Xss", e)
                .endControlFlow()
                .build();
    }

    private void rule(MethodSpec.Builder b, String annotation, MethodIR m) {
        if (markRules) {
            b.addAnnotation(AnnotationSpec.builder(ClassName.get("dev.adjoint", annotation))
                    .addMember("of", "$L.class", ownerCanonical).addMember("method", "$S", m.name()).build());
        }
    }

    /**
     * Whether the entry points carry {@code @Pullback} and {@code @Pushforward} naming the user's class: not for an
     * auxiliary class (a second top-level class of a file), which javac warns about naming from another file even
     * under {@code @SuppressWarnings}, and which no other compilation can call anyway.
     */
    public void markRules(boolean mark) {
        this.markRules = mark;
    }

    private boolean entryPointsOnly;

    /** The class holds only the entry points of methods other classes' differentiated methods call. */
    public void entryPointsOnly() {
        this.entryPointsOnly = true;
    }

    public JavaFile build() {
        if (entryPointsOnly) {
            type.addJavadoc("Entry points (pullbacks and pushforwards) of the methods of {@link $L} that differentiated\n"
                    + "code calls, written at compile time by Adjoint (docs/GENERATED-API.md). Methods are stateless\n"
                    + "and thread-safe.\n", ownerCanonical);
        } else {
            type.addJavadoc("Gradients of the {@code @Differentiable} methods of {@link $L}, written at compile time by\n"
                    + "Adjoint. Each method runs the original computation (the forward sweep) and then its\n"
                    + "reverse sweep, which carries {@code xBar = d(result)/dx} from the result back to the\n"
                    + "parameters. Methods are stateless and thread-safe; a result object must not be shared\n"
                    + "between threads while a call writes into it.\n", ownerCanonical);
        }
        return JavaFile.builder(pkg, type.build())
                .addFileComment("Generated by Adjoint $L from $L. Do not edit: it is rewritten whenever that class\n"
                        + "is compiled. After upgrading Adjoint, rebuild from clean (mvn clean compile) so that no\n"
                        + "class written by an older version stays behind.", version, ownerBinary)
                .indent("    ").skipJavaLangImports(true).build();
    }
}
