package dev.adjoint.processor.parse;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.MathFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;

/**
 * Ways out of expression-level errors that name the user's own code: the array that replaces varargs, the min and
 * max that replace {@code Math.clamp}, ... A way out is written so that following it literally compiles (the
 * diagnostics tests follow them).
 */
public final class WayOuts {
    /**
     * The third way out of ADJ008, for a method of the custom rules' signature; {@code %1$s} is the method's name,
     * {@code %2$s} its class's simple name.
     */
    static final String SEPARATE_COMPILATION = "when %2$s is compiled in a build of its own, mark %1$s "
            + "@Differentiable there: a later compilation finds its derivative through the class generated for it "
            + "(%2$sGrad)";

    private WayOuts() {}

    // ---------------------------------------------------------------- ADJ008

    /**
     * The way out of ADJ008, a call with a differentiated argument of a method whose source is not in the compilation
     * and which has no custom rule: (a) make its source part of the compilation, (b) declare a custom rule, with the
     * signature written for this method ({@code @Pullback(of = Lib.class, method = "f") static double
     * fPullback(double x, double yBar)}), or, for a method custom rules cannot describe, write its computation in
     * place of the call; (c) for a method custom rules can describe, mark it {@code @Differentiable} where it is
     * compiled (its generated class is then found on the class path).
     *
     * @param callee the method called
     * @return the way out, complete in itself
     */
    public static String unknownCallee(Callee callee) {
        String owner = callee.owner().startsWith("java.lang.") && callee.owner().indexOf('.', 10) < 0
                ? callee.owner().substring(10) : callee.owner();
        String simple = owner.substring(owner.lastIndexOf('.') + 1);
        String name = callee.name();
        StringBuilder b = new StringBuilder("(a) make the source of " + simple + "." + name + " part of this "
                + "compilation (Adjoint then differentiates through it), or (b) ");
        // a custom rule's signature (see CustomRules): the method's parameters, named here, then the adjoint or the
        // tangents, and the adjoint arrays of its array parameters
        int doubles = 0;
        int arrays = 0;
        boolean fits = callee.result() == Ty.DOUBLE;
        for (Ty t : callee.params()) {
            doubles += t == Ty.DOUBLE ? 1 : 0;
            arrays += t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX ? 1 : 0;
            fits &= t == Ty.DOUBLE || t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX || t == Ty.INT || t == Ty.LONG
                    || t == Ty.BOOLEAN || t == Ty.INT_ARRAY;
        }
        fits &= doubles + arrays > 0;
        List<String> params = new ArrayList<>();
        List<String> xs = new ArrayList<>();
        List<String> push = new ArrayList<>();
        List<String> bars = new ArrayList<>();
        int others = 0;
        int differentiable = doubles + arrays;
        for (Ty t : fits ? callee.params() : List.<Ty>of()) {
            if (t == Ty.DOUBLE || t == Ty.DOUBLE_ARRAY || t == Ty.DOUBLE_MATRIX) {
                String x = (t == Ty.DOUBLE ? "x" : t == Ty.DOUBLE_ARRAY ? "v" : "m")
                        + (differentiable == 1 ? "" : Integer.toString(xs.size() + 1));
                xs.add(x);
                params.add(t.java() + " " + x);
                push.add(t.java() + " " + x + "Dot");
                if (t != Ty.DOUBLE) {
                    bars.add(t.java() + " " + x + "Bar");
                }
            } else {
                others++;
                params.add(t.java() + " " + (t == Ty.INT ? "n" : t == Ty.LONG ? "l" : t == Ty.BOOLEAN ? "flag"
                        : "ints") + others);
            }
        }
        if (fits) {
            String of = "(of = " + owner + ".class, method = \"" + name + "\")";
            List<String> pull = new ArrayList<>(params);
            pull.add("double yBar");
            pull.addAll(bars);
            List<String> pushParams = new ArrayList<>(params);
            pushParams.addAll(push);
            List<String> adjoints = new ArrayList<>();
            for (String x : xs) {
                if (!bars.contains("double[] " + x + "Bar") && !bars.contains("double[][] " + x + "Bar")) {
                    adjoints.add("yBar * d " + name + "/d " + x);
                }
            }
            String returned = doubles == 0 ? "void " : doubles == 1 ? "double " : "double[] ";
            b.append("declare its derivative with a custom rule, a static method that is not private, in a class of "
                    + "this compilation: @Pullback").append(of).append(" static ").append(returned).append(name)
                    .append("Pullback(").append(String.join(", ", pull)).append(")");
            if (!bars.isEmpty()) {
                b.append(", adding yBar * d ").append(name).append("/d of each array into its ...Bar");
            }
            if (doubles > 0) {
                b.append(bars.isEmpty() ? ", returning " : " and returning ").append(String.join(", ", adjoints))
                        .append(doubles == 1 ? "" : " as a double[], in that order");
            }
            b.append(" (import dev.adjoint.Pullback); ");
            b.append(arrays == 0 ? "forward mode derives from it, or declare " : "with array parameters declare ");
            b.append("@Pushforward").append(of).append(" static double ").append(name).append("Pushforward(")
                    .append(String.join(", ", pushParams)).append(") too");
            if (!callee.owner().startsWith("java.") && !callee.owner().startsWith("javax.")
                    && !callee.owner().startsWith("jdk.")) {
                b.append(", or (c) ").append(String.format(SEPARATE_COMPILATION, name, simple));
            }
        } else {
            b.append("write its computation in place of the call (a custom rule, @Pullback or @Pushforward, is only "
                    + "for a static method returning double whose parameters are double, double[], double[][], int, "
                    + "long, boolean or int[])");
        }
        return b.toString();
    }

    /** The text of an operand, parenthesized unless it is a primary (a name, literal, call, element, ...). */
    static String operand(Tree tree, Function<Tree, String> written) {
        String text = written.apply(tree);
        switch (tree.getKind()) {
            case IDENTIFIER: case MEMBER_SELECT: case ARRAY_ACCESS: case METHOD_INVOCATION: case PARENTHESIZED:
            case INT_LITERAL: case LONG_LITERAL: case DOUBLE_LITERAL: case FLOAT_LITERAL: case BOOLEAN_LITERAL:
                return text;
            default:
                return "(" + text + ")";
        }
    }

    // ---------------------------------------------------------------- calls

    /** A call of a method that returns nothing: inline it or call it before. */
    static String voidCall(String name) {
        return "write what " + name + " does as statements of the @Differentiable method (loops and assignments), "
                + "or, when its arguments do not depend on a differentiated parameter, call it before that method and "
                + "pass what it computes in as a parameter";
    }

    /**
     * A call of a varargs method: pass the variable arguments as one array, when that array type is supported.
     *
     * @return the way out, or null for the usual one
     */
    static String varargsCall(MethodInvocationTree tree, ExecutableElement method, Function<Tree, String> written) {
        TypeMirror last = method.getParameters().get(method.getParameters().size() - 1).asType();
        Ty array = TypeResolver.ty(last);
        if (array == null || !(last instanceof ArrayType arrayType)) {
            return null; // the usual way out
        }
        int fixed = method.getParameters().size() - 1;
        List<String> args = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int k = 0; k < tree.getArguments().size(); k++) {
            (k < fixed ? args : rest).add(written.apply(tree.getArguments().get(k)));
        }
        String element = arrayType.getComponentType().toString();
        args.add("new " + element + "[] {" + String.join(", ", rest) + "}");
        return "pass the variable arguments as one array: " + written.apply(tree.getMethodSelect()) + "("
                + String.join(", ", args) + ")";
    }

    /** A call with a number of arguments no overload takes. */
    static String arities(String name, List<ExecutableElement> candidates) {
        TreeSet<Integer> counts = new TreeSet<>();
        for (ExecutableElement m : candidates) {
            counts.add(m.getParameters().size());
        }
        List<String> shown = new ArrayList<>();
        counts.forEach(n -> shown.add(String.valueOf(n)));
        String list = shown.size() == 1 ? shown.get(0)
                : String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.get(shown.size() - 1);
        return "call " + name + " with " + list + " argument" + (counts.equals(new TreeSet<>(List.of(1))) ? "" : "s")
                + ", as it is declared";
    }

    /**
     * The declarations on the way from {@code member} out to its top-level class that keep the generated class (in
     * package {@code here}) from using it: each private one, and each non-public one of another package. Empty when
     * the generated class can use it.
     */
    static List<Element> inaccessible(Element member, String here) {
        List<Element> out = new ArrayList<>();
        for (Element e = member; e instanceof TypeElement || e instanceof ExecutableElement
                || e instanceof VariableElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)
                    || !e.getModifiers().contains(Modifier.PUBLIC) && !packageOf(e).equals(here)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The qualified name of the package {@code e} is in ("" for the unnamed package). */
    static String packageOf(Element e) {
        Element x = e;
        while (x != null && !(x instanceof javax.lang.model.element.PackageElement)) {
            x = x.getEnclosingElement();
        }
        return x == null ? "" : ((javax.lang.model.element.PackageElement) x).getQualifiedName().toString();
    }

    /**
     * Why the generated class, in package {@code here}, cannot use {@code member}: "private method helper",
     * "method helper in private class Inner", "method helper (protected, in package q)".
     */
    static String whyInaccessible(Element member, String here) {
        List<Element> blocking = inaccessible(member, here);
        StringBuilder why = new StringBuilder(blocking.contains(member) ? described(member) : kindName(member));
        for (Element e : blocking) {
            if (e != member) {
                why.append(" in ").append(described(e));
            }
        }
        return why.toString();
    }

    /** "private class Inner", or "method helper (protected, in package q)". */
    private static String described(Element e) {
        if (e.getModifiers().contains(Modifier.PRIVATE)) {
            return "private " + kindName(e);
        }
        String access = e.getModifiers().contains(Modifier.PROTECTED) ? "protected" : "package-private";
        String pkg = packageOf(e);
        return kindName(e) + " (" + access + ", in package " + (pkg.isEmpty() ? "(unnamed)" : pkg) + ")";
    }

    /** "method helper", "class Inner". */
    private static String kindName(Element e) {
        return kind(e).substring("the ".length()) + " " + e.getSimpleName();
    }

    /** A member the generated class cannot call: what to change. */
    static String notAccessible(ExecutableElement method, String here) {
        return notAccessible(method, here, "call");
    }

    /**
     * A member the generated class cannot use: what to change, so that the generated class, in package
     * {@code here}, can.
     *
     * @param verb what the generated class then can do with it: call, read
     */
    static String notAccessible(Element member, String here, String verb) {
        List<String> unprivate = new ArrayList<>();
        List<String> publish = new ArrayList<>();
        for (Element e : inaccessible(member, here)) {
            (packageOf(e).equals(here) ? unprivate : publish).add(kind(e) + " " + e.getSimpleName());
        }
        List<String> changes = new ArrayList<>();
        if (!unprivate.isEmpty()) {
            changes.add("remove private from " + String.join(" and from ", unprivate));
        }
        if (!publish.isEmpty()) {
            changes.add("make " + String.join(" and ", publish) + " public");
        }
        return String.join(", and ", changes) + ": the generated class" + (publish.isEmpty()
                ? ", in the same package," : ", in package " + (here.isEmpty() ? "(unnamed)" : here) + ",")
                + " can then " + verb + " it";
    }

    private static String kind(Element e) {
        switch (e.getKind()) {
            case METHOD:
                return "the method";
            case FIELD:
                return "the field";
            case INTERFACE:
                return "the interface";
            case RECORD:
                return "the record";
            case ENUM:
                return "the enum";
            default:
                return "the class";
        }
    }

    /** A method reference: the call that replaces it. */
    static String referenceCall(String reference) {
        return reference.replace("::", ".") + "(<its arguments>)";
    }

    // ---------------------------------------------------------------- types and operators

    /** A float literal as a double literal: {@code 2f} is {@code 2.0}, {@code 1.5f} is {@code 1.5}. */
    static String asDouble(String floatLiteral) {
        String t = floatLiteral.trim();
        if (t.endsWith("f") || t.endsWith("F")) {
            t = t.substring(0, t.length() - 1);
        }
        return t.matches(".*[.eExXpP].*") ? t : t + ".0";
    }

    /** A type outside the subset: the subset's type closest to it, or the usual way out when there is none. */
    static String closestType(String written) {
        String base = written.replace("[]", "");
        int rank = (written.length() - base.length()) / 2;
        String element = switch (base) {
            case "float", "Float", "java.lang.Float", "Double", "java.lang.Double" -> "double";
            case "short", "byte", "char", "Short", "Byte", "Character", "Integer", "java.lang.Short",
                    "java.lang.Byte", "java.lang.Character", "java.lang.Integer" -> "int";
            case "Long", "java.lang.Long" -> rank == 0 ? "long" : null;
            case "Boolean", "java.lang.Boolean" -> rank == 0 ? "boolean" : null;
            case "int", "long", "double" -> rank >= 2 ? "double" : base.equals("long") ? "int" : null;
            default -> null;
        };
        if (element == null) {
            return null;
        }
        String closest = rank >= 2 ? "double[][]" : element.equals("double") || element.equals("int")
                ? element + "[]".repeat(rank) : element;
        return "use " + closest + " instead (the subset's types are " + Signatures.SUPPORTED_TYPES + ")";
    }

    /** A unary operator on an operand it does not take. */
    static String unary(Tree.Kind kind, Ty type, String operand) {
        if (type.isArray()) {
            return "apply it to the elements (" + operand + "[i]), in a loop over the array";
        }
        switch (kind) {
            case UNARY_MINUS: case UNARY_PLUS:
                return "use !" + operand + " to negate a boolean";
            case LOGICAL_COMPLEMENT:
                return "compare instead: " + operand + " == 0";
            default:
                return "~ takes an int or a long: ~(long) " + operand;
        }
    }

    /** A binary operator on operands it does not take. */
    static String binary(BinOp op, Ty left, Ty right) {
        boolean booleans = left == Ty.BOOLEAN && right == Ty.BOOLEAN;
        boolean bitwise = op == BinOp.BITAND || op == BinOp.BITOR || op == BinOp.XOR || op == BinOp.SHL
                || op == BinOp.SHR || op == BinOp.USHR;
        if (booleans && (op == BinOp.BITAND || op == BinOp.BITOR)) {
            return "use " + op.symbol + op.symbol + " for booleans";
        }
        if (booleans && op == BinOp.XOR) {
            return "use != for booleans (a ^ b is a != b)";
        }
        if (left.isArray() || right.isArray()) {
            return "apply " + op.symbol + " to elements (a[i]), in a loop over the array";
        }
        if (left == Ty.BOOLEAN || right == Ty.BOOLEAN) {
            return "turn the boolean into a number first: (b ? 1 : 0)";
        }
        if (bitwise) {
            return op.symbol + " takes int or long operands: cast the double to long, as in (long) x";
        }
        return "use operands that " + op.symbol + " takes: numbers for arithmetic and comparisons, booleans for && "
                + "and ||";
    }

    /** A condition that is not a boolean. */
    static String condition(Ty type, String condition) {
        return type.isNumeric() ? "write a comparison: " + condition + " != 0"
                : "write a boolean expression, such as a comparison";
    }

    /** A value assigned to a variable of a type it does not convert to. */
    static String assignment(Ty value, Ty target, String valueText) {
        if (value.isNumeric() && target.isNumeric()) {
            return "cast the value, as in (" + target.java() + ") " + valueText + ", or make the variable a "
                    + value.java();
        }
        return "assign a " + target.java() + " (the variable's type)";
    }

    // ---------------------------------------------------------------- Math

    /** The supported functions, from the one list ({@link MathFunctions}), as a way out names them. */
    static String supportedMath() {
        return "the supported functions of Math and StrictMath are " + MathFunctions.namesText();
    }

    /** A Math function without a rule: the rewrite for the common ones, then the supported list. */
    static String unsupportedMath(String cls, String fn, List<? extends ExpressionTree> args,
            Function<Tree, String> written) {
        String hint;
        if (fn.equals("random")) {
            hint = "draw the random numbers before the @Differentiable method and pass them in as a parameter "
                    + "(double or double[])";
        } else if (fn.equals("clamp") && args.size() == 3) {
            hint = "write " + cls + ".min(" + cls + ".max(" + written.apply(args.get(0)) + ", "
                    + written.apply(args.get(1)) + "), " + written.apply(args.get(2)) + ") instead";
        } else {
            hint = "rewrite it with arithmetic and the supported functions";
        }
        return hint + "; " + supportedMath();
    }

    /** A supported Math function given arguments of types it does not take. */
    static String mathArguments(String cls, String fn, List<Ty> types, List<? extends ExpressionTree> args,
            Function<Tree, String> written) {
        for (Ty t : types) {
            if (!t.isNumeric()) {
                return "pass numbers (int, long or double) to " + cls + "." + fn;
            }
        }
        List<String> a = new ArrayList<>();
        for (ExpressionTree arg : args) {
            a.add(operand(arg, written));
        }
        if (fn.equals("signum")) {
            return cls + ".signum of an int or a long is a float, which Adjoint does not compute with: write "
                    + cls + ".signum((double) " + a.get(0) + ")";
        }
        if (fn.equals("fma")) {
            return cls + ".fma of ints and longs is a float, which Adjoint does not compute with: write " + cls
                    + ".fma((double) " + a.get(0) + ", " + a.get(1) + ", " + a.get(2) + ")";
        }
        String forDoubles = switch (fn) {
            case "floorDiv" -> cls + ".floor(" + a.get(0) + " / " + a.get(1) + ")";
            case "floorMod" -> a.get(0) + " - " + a.get(1) + " * " + cls + ".floor(" + a.get(0) + " / " + a.get(1)
                    + ")";
            case "addExact" -> a.get(0) + " + " + a.get(1);
            case "subtractExact" -> a.get(0) + " - " + a.get(1);
            case "multiplyExact" -> a.get(0) + " * " + a.get(1);
            case "negateExact" -> "-" + a.get(0);
            case "toIntExact" -> "(int) " + a.get(0);
            default -> null;
        };
        String firstDouble = a.get(Math.max(0, types.indexOf(Ty.DOUBLE)));
        String cast = cls + "." + fn + " takes int or long arguments: cast the double ones to long, as in (long) "
                + firstDouble;
        return forDoubles == null ? cast : cast + ", or for doubles write " + forDoubles;
    }
}
