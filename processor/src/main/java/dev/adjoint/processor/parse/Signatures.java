package dev.adjoint.processor.parse;

import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;

/**
 * The method-level causes (not static, no body, result, type parameters, parameter types) and their ways out,
 * which name the user's own method: a message must say what to write, and a jar user has no docs at hand.
 */
final class Signatures {
    /** The parameter and local types of the subset, as a message lists them. */
    static final String SUPPORTED_TYPES = "double, int, long, boolean, double[], double[][] or int[]";

    private Signatures() {}

    /** @return the method's parameters as written, e.g. {@code double x, int n} */
    static String parametersAsWritten(MethodTree tree, MethodContext ctx) {
        List<String> ps = new ArrayList<>();
        for (VariableTree p : tree.getParameters()) {
            String text = ctx.sourceOf(p);
            ps.add(text != null ? text.replaceAll("\\s+", " ") : p.getType() + " " + p.getName());
        }
        return String.join(", ", ps);
    }

    /** @return the declared result as written, e.g. {@code double[]} */
    static String resultAsWritten(MethodTree tree) {
        return tree.getReturnType() == null ? "double" : tree.getReturnType().toString();
    }

    // ---------------------------------------------------------------- no body

    /** @return what ADJ023 says about a method without a body */
    static String noBodyDetail(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        if (method.getModifiers().contains(Modifier.NATIVE)) {
            return name + " is native: it has no Java body to differentiate";
        }
        return name + " is abstract: it has no body to differentiate";
    }

    /** @return the way out of ADJ023 for that method */
    static String noBodyWayOut(ExecutableElement method, MethodTree tree, MethodContext ctx) {
        String name = method.getSimpleName().toString();
        String signature = "static double " + name + "(" + parametersAsWritten(tree, ctx) + ")";
        if (method.getModifiers().contains(Modifier.NATIVE)) {
            return "write the computation in Java, in a static method with a body (" + signature
                    + " { ... return ...; }), and annotate that method";
        }
        return "annotate a static method with a body instead: @Differentiable " + signature
                + " { ... return ...; } (an abstract or interface method has no code to differentiate)";
    }

    // ---------------------------------------------------------------- not static

    /**
     * @return why the generated class cannot take an object of {@code owner} as the receiver of an instance method
     *     ({detail, way out}), or null when it can: an interface's method, a generic class (or one nested in one),
     *     a class the generated class, in package {@code here}, cannot name
     */
    static String[] unusableReceiver(ExecutableElement method, TypeElement owner, MethodTree tree, MethodContext ctx) {
        String here = ctx.accessPackage();
        if (owner.getKind() == ElementKind.INTERFACE || owner.getKind() == ElementKind.ANNOTATION_TYPE) {
            return new String[] {"of the interface " + owner.getSimpleName(), notStaticWayOut(method, tree, owner, ctx)};
        }
        for (javax.lang.model.element.Element e = owner; e instanceof TypeElement t; e = e.getEnclosingElement()) {
            if (!t.getTypeParameters().isEmpty()) {
                return new String[] {"of the generic class " + t.getSimpleName() + " (the generated entry points "
                        + "take the object as their first parameter, and cannot know its type arguments)",
                    notStaticWayOut(method, tree, owner, ctx)};
            }
            if (t.getModifiers().contains(Modifier.STATIC)) {
                break;
            }
        }
        if (!WayOuts.inaccessible(owner, here).isEmpty()) {
            return new String[] {"of " + WayOuts.whyInaccessible(owner, here) + ", which the generated class, a "
                    + "separate class, cannot take as a parameter", WayOuts.notAccessible(owner, here,
                            "take objects of")};
        }
        return null;
    }

    /** @return the way out of ADJ006: make it static, passing the fields it reads as parameters */
    static String notStaticWayOut(ExecutableElement method, MethodTree tree, TypeElement owner, MethodContext ctx) {
        String name = method.getSimpleName().toString();
        List<VariableElement> fields = fieldsRead(tree, owner);
        if (fields.isEmpty()) {
            return "make " + name + " static (an instance method needs an object, and Adjoint's generated class has "
                    + "none)";
        }
        List<String> declared = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (VariableElement f : fields) {
            Ty ty = TypeResolver.ty(f.asType());
            declared.add((ty == null ? f.asType().toString() : ty.java()) + " " + f.getSimpleName());
            names.add(f.getSimpleName().toString());
        }
        String own = parametersAsWritten(tree, ctx);
        String signature = "static " + resultAsWritten(tree) + " " + name + "(" + String.join(", ", declared)
                + (own.isEmpty() ? "" : ", " + own) + ")";
        String first = names.get(0);
        String spelled = owner.getKind() == ElementKind.RECORD
                ? first + " for this." + first + " or " + first + "()" : first + " for this." + first;
        return "make " + name + " static and pass the fields it reads (" + String.join(", ", names)
                + ") as parameters: " + signature + ", writing each field as its parameter (" + spelled + ")";
    }

    /**
     * The instance fields of {@code owner} that the body reads: by simple name, as {@code this.f}, or through a
     * record's accessor {@code f()}, in declaration order. Names the method declares itself are not fields there.
     */
    static List<VariableElement> fieldsRead(MethodTree tree, TypeElement owner) {
        List<VariableElement> instanceFields = new ArrayList<>();
        for (VariableElement f : ElementFilter.fieldsIn(owner.getEnclosedElements())) {
            if (!f.getModifiers().contains(Modifier.STATIC)) {
                instanceFields.add(f);
            }
        }
        if (instanceFields.isEmpty() || tree.getBody() == null) {
            return List.of();
        }
        Set<String> declared = new HashSet<>();
        for (VariableTree p : tree.getParameters()) {
            declared.add(p.getName().toString());
        }
        Set<String> used = new LinkedHashSet<>();
        boolean record = owner.getKind() == ElementKind.RECORD;
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree node, Void unused) {
                declared.add(node.getName().toString());
                return super.visitVariable(node, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                used.add(node.getName().toString());
                return null;
            }

            @Override
            public Void visitMemberSelect(MemberSelectTree node, Void unused) {
                if (node.getExpression() instanceof IdentifierTree id && id.getName().contentEquals("this")) {
                    used.add("this." + node.getIdentifier());
                    return null;
                }
                return super.visitMemberSelect(node, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                Tree select = node.getMethodSelect();
                if (record && node.getArguments().isEmpty()) {
                    if (select instanceof IdentifierTree id) {
                        used.add("this." + id.getName());
                    } else if (select instanceof MemberSelectTree m && m.getExpression() instanceof IdentifierTree q
                            && q.getName().contentEquals("this")) {
                        used.add("this." + m.getIdentifier());
                    }
                }
                if (select instanceof IdentifierTree) {
                    scan(node.getArguments(), null); // the method's own name is not a field
                    return null;
                }
                return super.visitMethodInvocation(node, unused);
            }
        }.scan(tree.getBody(), null);
        List<VariableElement> read = new ArrayList<>();
        for (VariableElement f : instanceFields) {
            String n = f.getSimpleName().toString();
            if (used.contains("this." + n) || (used.contains(n) && !declared.contains(n))) {
                read.add(f);
            }
        }
        return read;
    }

    // ---------------------------------------------------------------- the result

    /** @return the way out of ADJ007 for a declared result other than double */
    static String resultWayOut(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        if (method.getReturnType().getKind() == TypeKind.VOID) {
            return "declare " + name + " to return double and end it with return <the value to differentiate>;";
        }
        return "declare " + name + " to return double (for its gradient) or double[] (for its Jacobian): Adjoint "
                + "differentiates a method with one double or double[] result";
    }

    /** @return the way out of ADJ007 for a {@code return} of a value that is not a number */
    static String returnedValueWayOut(Ty type, String written) {
        String shown = written == null ? "the value" : written;
        if (type == Ty.BOOLEAN) {
            return "return a number: " + parenthesized(shown) + " ? 1.0 : 0.0";
        }
        return "return a double computed from the array " + shown + ", such as one element (" + parenthesized(shown)
                + "[0]) or a sum over a loop";
    }

    private static String parenthesized(String text) {
        return text.matches("[A-Za-z_$][A-Za-z_$0-9.]*") ? text : "(" + text + ")";
    }

    // ---------------------------------------------------------------- type parameters

    /** @return whether the type mentions a type variable (of the method: a static method sees no others) */
    static boolean mentionsTypeVariable(TypeMirror t) {
        switch (t.getKind()) {
            case TYPEVAR:
                return true;
            case ARRAY:
                return mentionsTypeVariable(((ArrayType) t).getComponentType());
            case DECLARED:
                for (TypeMirror a : ((DeclaredType) t).getTypeArguments()) {
                    if (mentionsTypeVariable(a)) {
                        return true;
                    }
                }
                return false;
            case WILDCARD: {
                WildcardType w = (WildcardType) t;
                return (w.getExtendsBound() != null && mentionsTypeVariable(w.getExtendsBound()))
                        || (w.getSuperBound() != null && mentionsTypeVariable(w.getSuperBound()));
            }
            default:
                return false;
        }
    }

    /** @return the way out of ADJ018 */
    static String typeParametersWayOut(ExecutableElement method, MethodTree tree) {
        List<String> names = new ArrayList<>();
        tree.getTypeParameters().forEach(p -> names.add(p.getName().toString()));
        List<String> uses = new ArrayList<>();
        if (mentionsTypeVariable(method.getReturnType())) {
            uses.add("declare the result double");
        }
        for (VariableElement p : method.getParameters()) {
            if (mentionsTypeVariable(p.asType())) {
                uses.add("give the parameters that use them a supported type (" + SUPPORTED_TYPES + ")");
                break;
            }
        }
        String remove = "remove the type parameters <" + String.join(", ", names) + ">";
        return uses.isEmpty() ? remove : remove + ", " + String.join(" and ", uses);
    }

    // ---------------------------------------------------------------- parameters

    /** @return the way out of ADJ017 for a varargs parameter */
    static String varargsWayOut(VariableElement p, VariableTree tree) {
        TypeMirror type = p.asType();
        String name = p.getSimpleName().toString();
        Tree elementTree = tree != null && tree.getType() instanceof ArrayTypeTree a ? a.getType() : null;
        String written = elementTree != null ? elementTree.toString()
                : type instanceof ArrayType a ? a.getComponentType().toString() : "double";
        if (TypeResolver.ty(type) == null) {
            return "declare " + name + " as an array of a supported type instead of " + written + "... " + name
                    + ", such as double[] " + name + " or int[] " + name + " (callers then pass an array: new "
                    + "double[] {...})";
        }
        return "declare " + name + " as " + written + "[] " + name + " instead of " + written + "... " + name
                + " (callers then pass an array: new " + written + "[] {...})";
    }

    /** @return the way out of ADJ028: the supported type closest to the parameter's, when there is one */
    static String parameterWayOut(VariableElement p) {
        String name = p.getSimpleName().toString();
        String closest = closestSupported(p.asType());
        if (closest != null) {
            return "declare " + name + " as " + closest + " (parameters can be " + SUPPORTED_TYPES + ")";
        }
        return "pass the numbers " + name + " holds as parameters of the supported types instead: " + SUPPORTED_TYPES;
    }

    /** @return the way out of ADJ015 for a String parameter */
    static String stringParameterWayOut(VariableElement p) {
        return "pass a number or a boolean in place of the string " + p.getSimpleName()
                + " (decide what the string selects before calling the method)";
    }

    private static String closestSupported(TypeMirror t) {
        switch (t.getKind()) {
            case FLOAT:
                return "double";
            case SHORT: case BYTE: case CHAR:
                return "int";
            case ARRAY: {
                TypeMirror c = ((ArrayType) t).getComponentType();
                String element = closestSupported(c);
                if (c.getKind() == TypeKind.ARRAY) {
                    return "double[][]"; // int[][], float[][]: the only supported matrix
                }
                if (element == null) {
                    return null;
                }
                return element.equals("int") ? "int[]" : element.equals("double") ? "double[]" : null;
            }
            case DECLARED: {
                String n = ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
                switch (n) {
                    case "java.lang.Double": case "java.lang.Float":
                        return "double";
                    case "java.lang.Integer": case "java.lang.Short": case "java.lang.Byte":
                    case "java.lang.Character":
                        return "int";
                    case "java.lang.Long":
                        return "long";
                    case "java.lang.Boolean":
                        return "boolean";
                    default:
                        break;
                }
                List<? extends TypeMirror> args = ((DeclaredType) t).getTypeArguments();
                if (args.size() == 1 && (n.startsWith("java.util.") && (n.endsWith("List") || n.endsWith("Collection")
                        || n.endsWith("Set") || n.endsWith("Queue") || n.endsWith("Deque")))) {
                    String element = closestSupported(args.get(0));
                    return "int".equals(element) ? "int[]" : "double".equals(element) ? "double[]" : null;
                }
                return null;
            }
            default:
                return null;
        }
    }
}
