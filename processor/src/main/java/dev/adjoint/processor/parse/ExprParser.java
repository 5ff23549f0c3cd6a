package dev.adjoint.processor.parse;

import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ002;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ003;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ009;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ011;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ013;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ015;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ016;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ021;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ022;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ024;
import static dev.adjoint.processor.diagnostics.DiagnosticId.ADJ026;
import static dev.adjoint.processor.parse.MethodContext.show;

import com.sun.source.tree.AnnotatedTypeTree;
import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.AssignOp;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Expr.UnOp;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.rules.MathFunctions;
import dev.adjoint.processor.rules.Registry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Parses expressions into the IR, inferring their types. Every method returns null after it has reported an error
 * (its callers then return null too, without reporting again), so that one mistake is reported once.
 */
final class ExprParser {
    private static final Set<String> MATH_CLASSES = Set.of("java.lang.Math", "java.lang.StrictMath");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9.][0-9A-Za-z_.+\\-]*");
    private static final Map<Tree.Kind, BinOp> BINARY = new EnumMap<>(Tree.Kind.class);
    private static final Map<Tree.Kind, AssignOp> COMPOUND = new EnumMap<>(Tree.Kind.class);

    static {
        BINARY.put(Tree.Kind.PLUS, BinOp.ADD);
        BINARY.put(Tree.Kind.MINUS, BinOp.SUB);
        BINARY.put(Tree.Kind.MULTIPLY, BinOp.MUL);
        BINARY.put(Tree.Kind.DIVIDE, BinOp.DIV);
        BINARY.put(Tree.Kind.REMAINDER, BinOp.REM);
        BINARY.put(Tree.Kind.LESS_THAN, BinOp.LT);
        BINARY.put(Tree.Kind.LESS_THAN_EQUAL, BinOp.LE);
        BINARY.put(Tree.Kind.GREATER_THAN, BinOp.GT);
        BINARY.put(Tree.Kind.GREATER_THAN_EQUAL, BinOp.GE);
        BINARY.put(Tree.Kind.EQUAL_TO, BinOp.EQ);
        BINARY.put(Tree.Kind.NOT_EQUAL_TO, BinOp.NE);
        BINARY.put(Tree.Kind.CONDITIONAL_AND, BinOp.AND);
        BINARY.put(Tree.Kind.CONDITIONAL_OR, BinOp.OR);
        BINARY.put(Tree.Kind.AND, BinOp.BITAND);
        BINARY.put(Tree.Kind.OR, BinOp.BITOR);
        BINARY.put(Tree.Kind.XOR, BinOp.XOR);
        BINARY.put(Tree.Kind.LEFT_SHIFT, BinOp.SHL);
        BINARY.put(Tree.Kind.RIGHT_SHIFT, BinOp.SHR);
        BINARY.put(Tree.Kind.UNSIGNED_RIGHT_SHIFT, BinOp.USHR);

        COMPOUND.put(Tree.Kind.PLUS_ASSIGNMENT, AssignOp.ADD);
        COMPOUND.put(Tree.Kind.MINUS_ASSIGNMENT, AssignOp.SUB);
        COMPOUND.put(Tree.Kind.MULTIPLY_ASSIGNMENT, AssignOp.MUL);
        COMPOUND.put(Tree.Kind.DIVIDE_ASSIGNMENT, AssignOp.DIV);
        COMPOUND.put(Tree.Kind.REMAINDER_ASSIGNMENT, AssignOp.REM);
        COMPOUND.put(Tree.Kind.AND_ASSIGNMENT, AssignOp.AND);
        COMPOUND.put(Tree.Kind.OR_ASSIGNMENT, AssignOp.OR);
        COMPOUND.put(Tree.Kind.XOR_ASSIGNMENT, AssignOp.XOR);
        COMPOUND.put(Tree.Kind.LEFT_SHIFT_ASSIGNMENT, AssignOp.SHL);
        COMPOUND.put(Tree.Kind.RIGHT_SHIFT_ASSIGNMENT, AssignOp.SHR);
        COMPOUND.put(Tree.Kind.UNSIGNED_RIGHT_SHIFT_ASSIGNMENT, AssignOp.USHR);
    }

    /** What a (possibly qualified) name denotes. */
    private sealed interface Meaning permits Value, TypeRef, PackageRef {}

    /** A value: a local, a parameter, a constant, an array's length. */
    private record Value(Expr expr) implements Meaning {}

    /** A class. */
    private record TypeRef(TypeElement type) implements Meaning {}

    /** Not (yet) anything: a package name, or an unknown name; {@code first} is its leftmost identifier. */
    private record PackageRef(String name, IdentifierTree first) implements Meaning {}

    /** The way out of an unknown name. */
    private static final String UNKNOWN_NAME = "declare it (as a parameter or a local), import it, or correct the "
            + "spelling: Adjoint must know what each name is (a parameter, a local, a static final constant)";

    /** The way out of a write to a field. */
    private static final String FIELD_WRITE = "write to a local variable instead: a @Differentiable method cannot "
            + "change fields (compute what the field should hold from its result, after the call)";

    private final MethodContext ctx;

    ExprParser(MethodContext ctx) {
        this.ctx = ctx;
    }

    /** The call that is the whole of the expression statement being parsed: one that may return nothing. */
    private ExpressionTree statementCall;

    /** @return the expression's IR, or null after an error */
    Expr expr(ExpressionTree tree) {
        return expr(tree, null);
    }

    /**
     * @return the IR of the expression of an expression statement (where a call of an array operation that
     *     returns nothing, {@code Arrays.fill}, may stand), or null after an error
     */
    Expr statement(ExpressionTree tree) {
        ExpressionTree saved = statementCall;
        statementCall = unparenthesize(tree);
        try {
            return expr(tree, null);
        } finally {
            statementCall = saved;
        }
    }

    /**
     * @param expected the type a bare array initializer ({@code {1, 2}}) takes here, or null
     * @return the expression's IR, or null after an error
     */
    Expr expr(ExpressionTree tree, Ty expected) {
        if (tree.getKind() == Tree.Kind.PARENTHESIZED) {
            return parse(tree, expected);
        }
        ctx.enterExpression(tree, 0);
        try {
            return parse(tree, expected);
        } finally {
            ctx.exitExpression(0);
        }
    }

    private Expr parse(ExpressionTree tree, Ty expected) {
        switch (tree.getKind()) {
            case PARENTHESIZED:
                return expr(((ParenthesizedTree) tree).getExpression(), expected);
            case INT_LITERAL: case LONG_LITERAL: case FLOAT_LITERAL: case DOUBLE_LITERAL: case BOOLEAN_LITERAL:
            case CHAR_LITERAL: case STRING_LITERAL: case NULL_LITERAL:
                return literal((LiteralTree) tree);
            case IDENTIFIER: case MEMBER_SELECT:
                return name(tree);
            case ARRAY_ACCESS:
                return arrayAccess((ArrayAccessTree) tree);
            case METHOD_INVOCATION:
                return call((MethodInvocationTree) tree);
            case NEW_ARRAY:
                return newArray((NewArrayTree) tree, expected);
            case NEW_CLASS:
                return ctx.error(ADJ002, tree, "object creation " + show(tree), "create objects before the "
                        + "@Differentiable method and pass the numbers they hold in as parameters ("
                        + Signatures.SUPPORTED_TYPES + ")");
            case UNARY_MINUS: case UNARY_PLUS: case LOGICAL_COMPLEMENT: case BITWISE_COMPLEMENT:
                return unary((UnaryTree) tree);
            case PREFIX_INCREMENT: case PREFIX_DECREMENT: case POSTFIX_INCREMENT: case POSTFIX_DECREMENT:
                return incDec((UnaryTree) tree);
            case CONDITIONAL_EXPRESSION:
                return conditional((ConditionalExpressionTree) tree, expected);
            case TYPE_CAST:
                return cast((TypeCastTree) tree);
            case ASSIGNMENT:
                return assignment((AssignmentTree) tree);
            case LAMBDA_EXPRESSION:
                return ctx.error(ADJ011, tree, "lambda " + show(tree), "write the lambda's computation out where "
                        + "it is applied (in a loop, if it is applied to each element of an array)");
            case MEMBER_REFERENCE:
                return ctx.error(ADJ011, tree, "method reference " + show(tree), "call the method directly where "
                        + "it is applied, as in " + WayOuts.referenceCall(show(tree)));
            case SWITCH_EXPRESSION: {
                // a switch expression is the whole value of a declaration, assignment, return or yield (SwitchParser)
                String v = ctx.freshName("v");
                return ctx.error(ADJ013, tree, "switch expression inside an expression", "declare a local with the "
                        + "switch expression first (var " + v + " = switch (...) { ... };) and use " + v
                        + " in its place");
            }
            case INSTANCE_OF:
                return ctx.error(ADJ002, tree, "instanceof in " + show(tree), "remove the instanceof: every value "
                        + "of a @Differentiable method is a number, a boolean or an array, of a type known when it "
                        + "compiles");
            default:
                if (tree instanceof BinaryTree binary) {
                    return binary(binary);
                }
                if (tree instanceof CompoundAssignmentTree compound) {
                    return compoundAssignment(compound);
                }
                return ctx.error(ADJ002, tree, show(tree));
        }
    }

    // ---------------------------------------------------------------- literals

    private Expr literal(LiteralTree tree) {
        Object value = tree.getValue();
        switch (tree.getKind()) {
            case INT_LITERAL:
                return new Expr.Lit(numberText(tree, String.valueOf(value)), Ty.INT, pos(tree));
            case LONG_LITERAL:
                return new Expr.Lit(numberText(tree, value + "L"), Ty.LONG, pos(tree));
            case DOUBLE_LITERAL:
                return new Expr.Lit(doubleText(numberText(tree, String.valueOf(value))), Ty.DOUBLE, pos(tree));
            case BOOLEAN_LITERAL:
                return new Expr.Lit(String.valueOf(value), Ty.BOOLEAN, pos(tree));
            case FLOAT_LITERAL:
                return ctx.error(ADJ003, tree, "float literal " + written(tree), "write it as a double literal: "
                        + WayOuts.asDouble(written(tree)));
            case CHAR_LITERAL:
                return ctx.error(ADJ003, tree, "char literal " + written(tree), "write the character's code as an "
                        + "int: " + (value instanceof Character c ? String.valueOf((int) c) : "its code"));
            case STRING_LITERAL:
                return ctx.error(ADJ015, tree, "string literal " + written(tree));
            default:
                return ctx.error(ADJ002, tree, "null", "use an array (new double[n]) or a number instead: there "
                        + "are no objects, so no null");
        }
    }

    /** The literal as written (javac folds a minus into int and long literals: {@code -5} stays {@code -5}). */
    private String numberText(LiteralTree tree, String fallback) {
        String text = ctx.sourceOf(tree);
        if (text == null) {
            return fallback;
        }
        text = text.replaceAll("\\s+", "");
        return NUMBER.matcher(text).matches() ? text : fallback;
    }

    /** @return the tree as the user wrote it, for a message */
    String written(Tree tree) {
        String text = ctx.sourceOf(tree);
        return text != null && text.length() <= 60 ? text : show(tree);
    }

    /** Normalises the {@code d} suffix away: {@code 2d} becomes {@code 2.0}. */
    private static String doubleText(String text) {
        if (!text.endsWith("d") && !text.endsWith("D")) {
            return text;
        }
        String stripped = text.substring(0, text.length() - 1);
        boolean hex = stripped.startsWith("0x") || stripped.startsWith("0X")
                || stripped.startsWith("-0x") || stripped.startsWith("-0X");
        if (!hex && stripped.indexOf('.') < 0 && stripped.indexOf('e') < 0 && stripped.indexOf('E') < 0) {
            stripped += ".0";
        }
        return stripped;
    }

    // ---------------------------------------------------------------- names

    private Expr name(ExpressionTree tree) {
        Meaning meaning = meaning(tree);
        if (meaning == null) {
            return null;
        }
        if (meaning instanceof Value value) {
            return value.expr();
        }
        if (meaning instanceof TypeRef) {
            return ctx.error(ADJ002, tree, "the class name " + show(tree) + " used as a value", "use a static "
                    + "final constant or a static method of " + show(tree) + ", not the class itself");
        }
        return unknown((PackageRef) meaning, tree);
    }

    private <T> T unknown(PackageRef ref, ExpressionTree whole) {
        String first = ref.first().getName().toString();
        if (!ctx.resolver.isPackage(first)) {
            return ctx.error(ADJ021, ref.first(), "unknown name " + first, UNKNOWN_NAME);
        }
        return ctx.error(ADJ021, whole, "unknown name " + show(whole), UNKNOWN_NAME);
    }

    /** Resolves a name (or any expression) to what it means; null after an error. */
    private Meaning meaning(ExpressionTree tree) {
        if (tree instanceof IdentifierTree id) {
            return identifierMeaning(id);
        }
        if (tree instanceof MemberSelectTree select) {
            return selectMeaning(select);
        }
        Expr e = expr(tree);
        return e == null ? null : new Value(e);
    }

    private Meaning identifierMeaning(IdentifierTree id) {
        String name = id.getName().toString();
        if (name.equals("this") || name.equals("super")) {
            if (ctx.receivers() != null) {
                return ctx.error(ADJ002, id, "'" + name + "' as a value", "read the fields of the object (this.w, "
                        + "or w) where they are needed: the object itself cannot be passed on or compared");
            }
            return ctx.error(ADJ002, id, "'" + name + "': the method is static", "pass what " + name
                    + " would give as parameters: a static method has no " + name);
        }
        Sym sym = ctx.scope().lookup(name);
        if (sym == Scope.POISONED) {
            return null;
        }
        if (sym != null) {
            return new Value(new Expr.Var(sym, pos(id)));
        }
        VariableElement field = ctx.resolver.fieldInScope(name);
        if (field != null && ctx.receivers() != null && field.equals(ctx.receivers().field(name))) {
            return receiverField(field, id);
        }
        if (field != null) {
            Expr e = constant(field, id);
            return e == null ? null : new Value(e);
        }
        TypeElement type = ctx.resolver.type(name);
        if (type != null) {
            return new TypeRef(type);
        }
        return new PackageRef(name, id);
    }

    private Meaning selectMeaning(MemberSelectTree select) {
        String name = select.getIdentifier().toString();
        ExpressionTree qualifier = select.getExpression();
        if (isThisOrSuper(qualifier)) {
            VariableElement field = ctx.receivers() == null ? null : ctx.receivers().field(name);
            if (field != null && ((IdentifierTree) qualifier).getName().contentEquals("this")) {
                return receiverField(field, select);
            }
            if (ctx.receivers() != null) {
                return ctx.error(ADJ021, select, "unknown field " + show(select) + " of the object",
                        "read a field the class of the object declares or inherits (check the spelling)");
            }
            return ctx.error(ADJ016, select, "field " + show(select), INSTANCE_FIELD);
        }
        Meaning q = meaning(qualifier);
        if (q == null) {
            return null;
        }
        if (q instanceof Value value) {
            if (name.equals("length") && value.expr().type().isArray()) {
                return new Value(new Expr.Length(value.expr(), pos(select)));
            }
            return ctx.error(ADJ016, select, "field " + name + " of " + show(qualifier));
        }
        if (q instanceof TypeRef typeRef) {
            TypeElement type = typeRef.type();
            if (name.equals("class") || name.equals("this") || name.equals("super")) {
                return ctx.error(ADJ002, select, show(select));
            }
            VariableElement field = ctx.resolver.field(type, name);
            if (field != null) {
                Expr e = constant(field, select);
                return e == null ? null : new Value(e);
            }
            TypeElement member = ctx.resolver.memberType(type, name);
            if (member != null) {
                return new TypeRef(member);
            }
            return ctx.error(ADJ021, select, "unknown name " + name + " in " + TypeResolver.canonicalName(type),
                    "use a static final constant or a member class that " + TypeResolver.canonicalName(type)
                            + " declares (check the spelling)");
        }
        PackageRef pkg = (PackageRef) q;
        String qualified = pkg.name() + "." + name;
        TypeElement type = ctx.resolver.typeNamed(qualified);
        return type != null ? new TypeRef(type) : new PackageRef(qualified, pkg.first());
    }

    /** A read of a field of the receiver: the parameter that stands for it. */
    private Meaning receiverField(VariableElement field, Tree at) {
        Sym sym = ctx.receivers().sym(field, at);
        return sym == null ? null : new Value(new Expr.Var(sym, pos(at)));
    }

    /** The way out of a read of an instance field in a static method. */
    private static final String INSTANCE_FIELD = "drop static from the method to read the fields of its object "
            + "(the gradient then takes the object as its first argument), or pass the value as a parameter";

    /**
     * A field read by name: allowed when it is a {@code static final} of a supported scalar type. A constant the
     * generated class could not access (private, or in a private class) is inlined as its value.
     */
    private Expr constant(VariableElement field, Tree at) {
        String name = field.getSimpleName().toString();
        Set<Modifier> mods = field.getModifiers();
        TypeElement owner = TypeResolver.declaringType(field);
        if (!mods.contains(Modifier.STATIC)) {
            return ctx.error(ADJ016, at, "instance field " + name, ctx.receivers() == null ? INSTANCE_FIELD
                    : "pass the value as a parameter: only the fields of the object the method runs on can be "
                            + "read");
        }
        if (!mods.contains(Modifier.FINAL)) {
            return ctx.error(ADJ016, at, "static field " + name + " is not final", "make it final if it never "
                    + "changes (static final " + field.asType() + " " + name + " = ...;), or pass its value in as a "
                    + "parameter");
        }
        TypeMirror type = field.asType();
        Ty ty = TypeResolver.ty(type);
        if (TypeResolver.isString(type)) {
            return ctx.error(ADJ015, at, "string constant " + name);
        }
        if (ty == null || ty == Ty.TENSOR3) {
            return ctx.error(ADJ016, at, "static final field " + name + " of type " + type
                    + " (only double, int, long and boolean constants and double[], double[][] and int[] tables can "
                    + "be read)", "pass " + name + " in as a parameter of a supported type ("
                    + Signatures.SUPPORTED_TYPES + ")");
        }
        if (owner == null) {
            return ctx.error(ADJ016, at, "field " + name);
        }
        String here = ctx.accessPackage();
        if (!WayOuts.inaccessible(field, here).isEmpty()) {
            Expr lit = ty.isArray() ? null : constantLiteral(field.getConstantValue(), ty, at);
            if (lit == null) {
                lit = copied(field, owner, ty, at);
            }
            if (lit == null) {
                return ctx.error(ADJ016, at, WayOuts.whyInaccessible(field, here)
                        + " is not a compile-time constant, and the generated class cannot read it",
                        WayOuts.notAccessible(field, here, "read"));
            }
            return lit;
        }
        return new Expr.StaticField(TypeResolver.canonicalName(owner), name, ty, pos(at));
    }

    /** The fields whose initializers are being parsed for a copy: a cycle among them is not copied. */
    private final Set<String> copying = new java.util.HashSet<>();

    /**
     * @return a read of the generated class's copy of a private constant of the method's own class that is not a
     *     compile-time constant, its initializer parsed (constants, literals and Math functions only); null when
     *     it cannot be copied
     */
    private Expr copied(VariableElement field, TypeElement owner, Ty ty, Tree at) {
        String name = field.getSimpleName().toString();
        TypeElement here = TypeResolver.declaringType(ctx.method);
        if (!owner.equals(here) || !(ctx.treeOf(field) instanceof com.sun.source.tree.VariableTree tree)
                || tree.getInitializer() == null) {
            return null;
        }
        String key = TypeResolver.canonicalName(owner) + "." + name;
        if (!ctx.copies().containsKey(key)) {
            if (!copying.add(key)) {
                return null;
            }
            try {
                Expr init = ctx.withNoVariables(() -> expr(tree.getInitializer(), ty));
                if (init == null || !copyable(init)) {
                    return null;
                }
                // a copy from another class may already have the name
                String copyName = name;
                for (int k = 2; taken(copyName); k++) {
                    copyName = owner.getSimpleName() + "_" + name + (k == 2 ? "" : Integer.toString(k));
                }
                ctx.copies().put(key, new dev.adjoint.processor.ir.ConstantCopy(copyName, ty, init));
            } finally {
                copying.remove(key);
            }
        }
        return new Expr.StaticField(dev.adjoint.processor.ir.ConstantCopy.GENERATED_CLASS,
                ctx.copies().get(key).name(), ty, pos(at));
    }

    private boolean taken(String field) {
        return ctx.copies().values().stream().anyMatch(c -> c.name().equals(field));
    }

    /** @return whether an initializer reads only constants and literals, through operators and Math functions */
    private static boolean copyable(Expr init) {
        boolean[] ok = {true};
        dev.adjoint.processor.ir.IrWalker.visit(init, x -> ok[0] &= !(x instanceof Expr.Var || x instanceof Expr.Call
                || x instanceof Expr.Assign || x instanceof Expr.IncDec));
        return ok[0];
    }

    private static Expr constantLiteral(Object value, Ty ty, Tree at) {
        if (value instanceof Double d) {
            if (d.isNaN()) {
                return new Expr.StaticField("java.lang.Double", "NaN", Ty.DOUBLE, pos(at));
            }
            if (d.isInfinite()) {
                String which = d > 0 ? "POSITIVE_INFINITY" : "NEGATIVE_INFINITY";
                return new Expr.StaticField("java.lang.Double", which, Ty.DOUBLE, pos(at));
            }
            return new Expr.Lit(Double.toString(d), Ty.DOUBLE, pos(at));
        }
        if (value instanceof Long l) {
            return new Expr.Lit(l + "L", Ty.LONG, pos(at));
        }
        if (value instanceof Integer || value instanceof Boolean) {
            return new Expr.Lit(value.toString(), ty, pos(at));
        }
        return null;
    }

    private static boolean isThisOrSuper(ExpressionTree tree) {
        return tree instanceof IdentifierTree id
                && (id.getName().contentEquals("this") || id.getName().contentEquals("super"));
    }

    // ---------------------------------------------------------------- arrays

    private Expr arrayAccess(ArrayAccessTree tree) {
        Expr array = expr(tree.getExpression());
        Expr index = expr(tree.getIndex());
        if (array == null || index == null) {
            return null;
        }
        if (!array.type().isArray()) {
            return ctx.error(ADJ026, tree, "indexing a " + array.type().java() + ": " + show(tree),
                    "index arrays only");
        }
        if (index.type() != Ty.INT && index.type() != Ty.LONG) {
            return ctx.error(ADJ026, tree.getIndex(), "array index of type " + index.type().java(),
                    index.type() == Ty.DOUBLE ? "cast the index to int: [(int) " + WayOuts.operand(tree.getIndex(),
                            this::written) + "]" : "index with an int");
        }
        return new Expr.ArrayLoad(array, index, pos(tree));
    }

    private Expr newArray(NewArrayTree tree, Ty expected) {
        if (tree.getType() == null) {
            if (expected == null || !expected.isArray()) {
                return ctx.error(ADJ002, tree, "array initializer whose type is not known: " + show(tree),
                        "write the array's type before it: new double[] " + show(tree));
            }
            return arrayInit(tree, expected);
        }
        boolean hasInit = tree.getInitializers() != null;
        int dims = hasInit ? 1 : tree.getDimensions().size();
        Ty type = typeTree(tree.getType(), dims);
        if (hasInit) {
            return type == null ? null : arrayInit(tree, type);
        }
        List<Expr> sizes = new ArrayList<>();
        boolean ok = type != null;
        for (ExpressionTree d : tree.getDimensions()) {
            Expr size = expr(d);
            if (size == null) {
                ok = false;
            } else if (size.type() != Ty.INT && size.type() != Ty.LONG) {
                ok = ctx.error(ADJ026, d, "array size of type " + size.type().java(), size.type() == Ty.DOUBLE
                        ? "cast the size to int: [(int) " + WayOuts.operand(d, this::written) + "]"
                        : "give the size as an int") != null;
            } else {
                sizes.add(size);
            }
        }
        return ok ? new Expr.NewArray(type, sizes, pos(tree)) : null;
    }

    private Expr arrayInit(NewArrayTree tree, Ty type) {
        Ty element = type.element();
        List<Expr> elements = new ArrayList<>();
        boolean ok = true;
        for (ExpressionTree e : tree.getInitializers()) {
            Expr x = expr(e, element);
            if (x == null) {
                ok = false;
            } else if (!assignable(x.type(), element)) {
                ok = ctx.error(ADJ026, e, "a " + x.type().java() + " in an initializer of " + type.java()) != null;
            } else {
                elements.add(x);
            }
        }
        return ok ? new Expr.ArrayInit(type, elements, pos(tree)) : null;
    }

    // ---------------------------------------------------------------- types written in the source

    /**
     * The supported type a type tree denotes, with {@code extraDims} more array dimensions.
     *
     * @return the type, or null after reporting ADJ003 (ADJ015 for strings)
     */
    Ty typeTree(Tree tree, int extraDims) {
        int rank = extraDims;
        Tree base = tree;
        while (true) {
            if (base instanceof ArrayTypeTree array) {
                rank++;
                base = array.getType();
            } else if (base instanceof AnnotatedTypeTree annotated) {
                base = annotated.getUnderlyingType();
            } else {
                break;
            }
        }
        if (base instanceof PrimitiveTypeTree primitive) {
            Ty ty = switch (primitive.getPrimitiveTypeKind()) {
                case DOUBLE -> rank == 0 ? Ty.DOUBLE : rank == 1 ? Ty.DOUBLE_ARRAY : rank == 2 ? Ty.DOUBLE_MATRIX : null;
                case INT -> rank == 0 ? Ty.INT : rank == 1 ? Ty.INT_ARRAY : null;
                case LONG -> rank == 0 ? Ty.LONG : null;
                case BOOLEAN -> rank == 0 ? Ty.BOOLEAN : null;
                default -> null;
            };
            if (ty != null) {
                return ty;
            }
            String written = primitive.getPrimitiveTypeKind().toString().toLowerCase() + "[]".repeat(rank);
            return ctx.error(ADJ003, tree, written, WayOuts.closestType(written));
        }
        String name = base.toString();
        if (name.equals("String") || name.equals("java.lang.String")) {
            return ctx.error(ADJ015, tree, "String" + "[]".repeat(rank));
        }
        return ctx.error(ADJ003, tree, name + "[]".repeat(rank), WayOuts.closestType(name + "[]".repeat(rank)));
    }

    /** @return whether a value of type {@code from} can be assigned to {@code to} (identity or widening) */
    static boolean assignable(Ty from, Ty to) {
        if (from == to) {
            return true;
        }
        return (to == Ty.DOUBLE && (from == Ty.INT || from == Ty.LONG)) || (to == Ty.LONG && from == Ty.INT);
    }

    // ---------------------------------------------------------------- operators

    private Expr unary(UnaryTree tree) {
        Expr operand = expr(tree.getExpression());
        if (operand == null) {
            return null;
        }
        Ty t = operand.type();
        switch (tree.getKind()) {
            case UNARY_MINUS:
            case UNARY_PLUS:
                if (t.isNumeric()) {
                    UnOp op = tree.getKind() == Tree.Kind.UNARY_MINUS ? UnOp.NEG : UnOp.PLUS;
                    return new Expr.Unary(op, operand, t, pos(tree));
                }
                break;
            case LOGICAL_COMPLEMENT:
                if (t == Ty.BOOLEAN) {
                    return new Expr.Unary(UnOp.NOT, operand, Ty.BOOLEAN, pos(tree));
                }
                break;
            default:
                if (t == Ty.INT || t == Ty.LONG) {
                    return new Expr.Unary(UnOp.BITNOT, operand, t, pos(tree));
                }
                break;
        }
        return ctx.error(ADJ026, tree, show(tree) + " on a " + t.java(), WayOuts.unary(tree.getKind(), t,
                WayOuts.operand(tree.getExpression(), this::written)));
    }

    private Expr incDec(UnaryTree tree) {
        Expr target = target(tree.getExpression());
        if (target == null) {
            return null;
        }
        if (!target.type().isNumeric()) {
            return ctx.error(ADJ026, tree, show(tree) + " on a " + target.type().java(), "++ and -- take a "
                    + "number (int, long or double)");
        }
        Tree.Kind k = tree.getKind();
        boolean increment = k == Tree.Kind.PREFIX_INCREMENT || k == Tree.Kind.POSTFIX_INCREMENT;
        boolean prefix = k == Tree.Kind.PREFIX_INCREMENT || k == Tree.Kind.PREFIX_DECREMENT;
        return new Expr.IncDec(target, increment, prefix, pos(tree));
    }

    /**
     * A left-associative chain {@code a + b + c + ...} is javac's left-deep tree; it is walked with an explicit
     * stack so that long sums do not need deep recursion.
     */
    private Expr binary(BinaryTree root) {
        Deque<BinaryTree> spine = new ArrayDeque<>();
        ExpressionTree leftmost = root;
        while (leftmost instanceof BinaryTree b && !isStringConcat(b)) {
            spine.push(b);
            leftmost = unparenthesize(b.getLeftOperand());
        }
        if (spine.isEmpty()) {
            return ctx.error(ADJ015, root, "string concatenation " + show(root));
        }
        int chain = spine.size() - 1; // the root was counted by expr
        ctx.enterExpression(root, chain);
        try {
            return chain(spine, leftmost);
        } finally {
            ctx.exitExpression(chain);
        }
    }

    private Expr chain(Deque<BinaryTree> spine, ExpressionTree leftmost) {
        Expr left = expr(leftmost);
        boolean failed = left == null;
        while (!spine.isEmpty()) {
            BinaryTree b = spine.pop();
            Expr right = expr(b.getRightOperand());
            if (failed || right == null) {
                failed = true;
                continue;
            }
            left = combine(b, left, right);
            failed = left == null;
        }
        return failed ? null : left;
    }

    private static boolean isStringConcat(BinaryTree b) {
        return b.getKind() == Tree.Kind.PLUS
                && (unparenthesize(b.getLeftOperand()).getKind() == Tree.Kind.STRING_LITERAL
                        || unparenthesize(b.getRightOperand()).getKind() == Tree.Kind.STRING_LITERAL);
    }

    private Expr combine(BinaryTree tree, Expr left, Expr right) {
        BinOp op = BINARY.get(tree.getKind());
        Ty type = binaryType(op, left.type(), right.type());
        if (type == null) {
            return ctx.error(ADJ026, tree, "operator " + op.symbol + " on " + left.type().java() + " and "
                    + right.type().java(), WayOuts.binary(op, left.type(), right.type()));
        }
        return new Expr.Binary(op, left, right, type, pos(tree));
    }

    /** @return the result type of {@code l op r}, or null when Java or the subset does not allow it */
    static Ty binaryType(BinOp op, Ty l, Ty r) {
        boolean numeric = l.isNumeric() && r.isNumeric();
        boolean integral = (l == Ty.INT || l == Ty.LONG) && (r == Ty.INT || r == Ty.LONG);
        switch (op) {
            case ADD: case SUB: case MUL: case DIV: case REM:
                return numeric ? Ty.promote(l, r) : null;
            case LT: case LE: case GT: case GE:
                return numeric ? Ty.BOOLEAN : null;
            case EQ: case NE:
                return numeric || (l == Ty.BOOLEAN && r == Ty.BOOLEAN) ? Ty.BOOLEAN : null;
            case AND: case OR:
                return l == Ty.BOOLEAN && r == Ty.BOOLEAN ? Ty.BOOLEAN : null;
            case BITAND: case BITOR: case XOR:
                return integral ? Ty.promote(l, r) : null;
            default: // shifts: the type of the (unary-promoted) left operand
                return integral ? l : null;
        }
    }

    private Expr conditional(ConditionalExpressionTree tree, Ty expected) {
        ctx.enterNesting(tree);
        try {
            return conditionalNested(tree, expected);
        } finally {
            ctx.exitNesting();
        }
    }

    private Expr conditionalNested(ConditionalExpressionTree tree, Ty expected) {
        Expr cond = expr(tree.getCondition());
        Expr then = expr(tree.getTrueExpression(), expected);
        Expr otherwise = expr(tree.getFalseExpression(), expected);
        if (cond == null || then == null || otherwise == null) {
            return null;
        }
        if (cond.type() != Ty.BOOLEAN) {
            return ctx.error(ADJ026, tree.getCondition(), "a condition of type " + cond.type().java(),
                    WayOuts.condition(cond.type(), WayOuts.operand(tree.getCondition(), this::written)));
        }
        Ty a = then.type();
        Ty b = otherwise.type();
        Ty type = a == b ? a : a.isNumeric() && b.isNumeric() ? Ty.promote(a, b) : null;
        if (type == null) {
            return ctx.error(ADJ026, tree, "?: with branches of types " + a.java() + " and " + b.java(),
                    "give both branches the same kind of value: two numbers, two booleans or two arrays of one type");
        }
        return new Expr.Cond(cond, then, otherwise, type, pos(tree));
    }

    private Expr cast(TypeCastTree tree) {
        Expr operand = expr(tree.getExpression());
        Tree typeTree = tree.getType();
        Ty to = null;
        if (typeTree instanceof PrimitiveTypeTree primitive) {
            to = switch (primitive.getPrimitiveTypeKind()) {
                case DOUBLE -> Ty.DOUBLE;
                case INT -> Ty.INT;
                case LONG -> Ty.LONG;
                default -> null;
            };
        }
        if (to == null) {
            return ctx.error(ADJ003, typeTree, "cast to " + show(typeTree), "cast to double, int or long instead"
                    + " (the casts of the subset)");
        }
        if (operand == null) {
            return null;
        }
        if (!operand.type().isNumeric()) {
            return ctx.error(ADJ026, tree, "cast of a " + operand.type().java() + " to " + to.java(),
                    operand.type() == Ty.BOOLEAN ? "turn the boolean into a number with ?: instead: "
                            + WayOuts.operand(tree.getExpression(), this::written) + " ? 1 : 0"
                            : "cast only numbers (int, long or double)");
        }
        return new Expr.Cast(to, operand, pos(tree));
    }

    // ---------------------------------------------------------------- assignments

    /** @return the target of an assignment or increment: a local, a parameter or an array element */
    Expr target(ExpressionTree tree) {
        ExpressionTree t = unparenthesize(tree);
        if (t instanceof IdentifierTree id) {
            String name = id.getName().toString();
            Sym sym = ctx.scope().lookup(name);
            if (sym == Scope.POISONED) {
                return null;
            }
            if (sym != null) {
                return new Expr.Var(sym, pos(id));
            }
            if (ctx.resolver.fieldInScope(name) != null) {
                return ctx.error(ADJ016, id, "assignment to field " + name, FIELD_WRITE);
            }
            return ctx.error(ADJ021, id, "unknown name " + name, "declare " + name + " as a local before assigning "
                    + "it, or correct the spelling");
        }
        if (t instanceof ArrayAccessTree access) {
            Expr element = arrayAccess(access);
            Expr root = element;
            while (root instanceof Expr.ArrayLoad al) {
                root = al.array();
            }
            if (root instanceof Expr.StaticField) {
                return ctx.error(ADJ016, access.getExpression(), "write into a static final array (a constant table: "
                        + "the gradient would not undo it, and other code reads it)", "copy the table into a local "
                        + "array and write to the copy");
            }
            return element;
        }
        if (t instanceof MemberSelectTree) {
            return ctx.error(ADJ016, t, "assignment to field " + show(t), FIELD_WRITE);
        }
        return ctx.error(ADJ002, t, "assignment to " + show(t));
    }

    private Expr assignment(AssignmentTree tree) {
        Expr target = target(tree.getVariable());
        Expr value = expr(tree.getExpression(), target == null ? null : target.type());
        if (target == null || value == null) {
            return null;
        }
        if (!assignable(value.type(), target.type())) {
            return ctx.error(ADJ026, tree, "assignment of a " + value.type().java() + " to a " + target.type().java(),
                    WayOuts.assignment(value.type(), target.type(), WayOuts.operand(tree.getExpression(),
                            this::written)));
        }
        return new Expr.Assign(target, AssignOp.SET, value, pos(tree));
    }

    /** @return the operator of a compound assignment tree ({@code +=} ...), or null */
    static AssignOp compoundOp(Tree.Kind kind) {
        return COMPOUND.get(kind);
    }

    private Expr compoundAssignment(CompoundAssignmentTree tree) {
        AssignOp op = COMPOUND.get(tree.getKind());
        Expr target = target(tree.getVariable());
        Expr value = expr(tree.getExpression());
        if (target == null || value == null || op == null) {
            return op == null ? ctx.error(ADJ002, tree, show(tree)) : null;
        }
        if (binaryType(op.binary, target.type(), value.type()) == null || !target.type().isNumeric()) {
            return ctx.error(ADJ026, tree, "operator " + op.symbol + " on " + target.type().java() + " and "
                    + value.type().java(), WayOuts.binary(op.binary, target.type(), value.type()));
        }
        return new Expr.Assign(target, op, value, pos(tree));
    }

    // ---------------------------------------------------------------- calls

    private Expr call(MethodInvocationTree tree) {
        List<Expr> args = new ArrayList<>();
        boolean argsOk = true;
        for (ExpressionTree a : tree.getArguments()) {
            Expr arg = expr(a);
            argsOk &= arg != null;
            args.add(arg);
        }
        ExpressionTree select = tree.getMethodSelect();
        if (select instanceof IdentifierTree id) {
            String name = id.getName().toString();
            if (name.equals("this") || name.equals("super")) {
                return ctx.error(ADJ024, tree, "constructor call " + show(tree),
                        "call constructors outside the @Differentiable method, which is static");
            }
            if (tree.getArguments().isEmpty() && ctx.receivers() != null && ctx.receivers().isComponent(name)) {
                Meaning m = receiverField(ctx.receivers().field(name), tree);
                return m == null ? null : ((Value) m).expr();
            }
            List<ExecutableElement> candidates = ctx.resolver.methodsInScope(name);
            if (candidates.isEmpty()) {
                return ctx.error(ADJ021, tree, "unknown method " + name, "declare or import the static method "
                        + name + ", or correct the spelling");
            }
            return resolved(tree, name, candidates, args, argsOk);
        }
        if (select instanceof MemberSelectTree member && isNameChain(member.getExpression())
                && !isThisOrSuper(member.getExpression())) {
            String name = member.getIdentifier().toString();
            Meaning q = meaning(member.getExpression());
            if (q == null) {
                return null;
            }
            if (q instanceof PackageRef pkg) {
                return unknown(pkg, member.getExpression());
            }
            if (q instanceof TypeRef typeRef) {
                TypeElement type = typeRef.type();
                List<ExecutableElement> candidates = ctx.resolver.methods(type, name);
                if (MATH_CLASSES.contains(TypeResolver.canonicalName(type))) {
                    if (candidates.isEmpty()) {
                        // not a function of this JDK's Math at all (a misspelling, or one of a later JDK)
                        return ctx.error(ADJ021, tree, "unknown method " + name + " of "
                                + TypeResolver.canonicalName(type), "correct the spelling; "
                                + WayOuts.supportedMath());
                    }
                    return mathCall(tree, TypeResolver.canonicalName(type), name, args, argsOk);
                }
                if (candidates.isEmpty()) {
                    return ctx.error(ADJ021, tree, "unknown method " + name + " of "
                            + TypeResolver.canonicalName(type), "call a static method that "
                            + TypeResolver.canonicalName(type) + " declares (check the spelling)");
                }
                return resolved(tree, name, candidates, args, argsOk);
            }
        }
        if (select instanceof MemberSelectTree member && ctx.receivers() != null
                && unparenthesize(member.getExpression()) instanceof IdentifierTree self
                && self.getName().contentEquals("this")) {
            String name = member.getIdentifier().toString();
            if (tree.getArguments().isEmpty() && ctx.receivers().isComponent(name)) {
                Meaning m = receiverField(ctx.receivers().field(name), tree);
                return m == null ? null : ((Value) m).expr();
            }
            List<ExecutableElement> candidates = ctx.resolver.methods(TypeResolver.declaringType(ctx.method), name);
            if (candidates.isEmpty()) {
                return ctx.error(ADJ021, tree, "unknown method " + name + " of the object", "call a method the "
                        + "class declares (check the spelling)");
            }
            return resolved(tree, name, candidates, args, argsOk);
        }
        if (select instanceof MemberSelectTree member && isString(member.getExpression())) {
            return ctx.error(ADJ015, unparenthesize(member.getExpression()), "method "
                    + member.getIdentifier() + " of a string");
        }
        if (select instanceof MemberSelectTree member && member.getIdentifier().contentEquals("clone")
                && args.isEmpty() && !isThisOrSuper(member.getExpression())) {
            Expr array = expr(member.getExpression());
            if (array == null) {
                return null;
            }
            if (array.type().isArray()) {
                // lowered to the loop that copies it (shallow for a double[][]: the copy's rows are the original's)
                return new Expr.Call(new Callee(Registry.ARRAY_CLONE_OWNER, "clone", List.of(array.type()),
                        array.type()), List.of(array), pos(tree));
            }
        }
        return ctx.error(ADJ024, tree, "instance method call " + show(tree) + ": Adjoint follows static calls only");
    }

    /** @return whether an expression is a string literal or a concatenation with one */
    private static boolean isString(ExpressionTree tree) {
        ExpressionTree t = unparenthesize(tree);
        return t.getKind() == Tree.Kind.STRING_LITERAL || (t instanceof BinaryTree b && isStringConcat(b));
    }

    private static boolean isNameChain(ExpressionTree tree) {
        ExpressionTree t = tree;
        while (t instanceof MemberSelectTree select) {
            t = select.getExpression();
        }
        return t instanceof IdentifierTree;
    }

    private Expr resolved(MethodInvocationTree tree, String name, List<ExecutableElement> candidates,
            List<Expr> args, boolean argsOk) {
        String arrayOwner = argsOk ? arrayOperationOwner(name, candidates) : null;
        if (arrayOwner != null) {
            Callee op = arrayOperation(arrayOwner, name, args);
            if (op != null) {
                if (op.result() == null && tree != statementCall) {
                    return ctx.error(ADJ024, tree, "call of " + op.owner() + "." + name + ", which returns nothing "
                            + "(void), as a value", "call " + name + " as a statement of its own");
                }
                return new Expr.Call(op, args, pos(tree));
            }
            String mismatch = arrayOperationMismatch(name, args);
            if (mismatch != null) {
                return ctx.error(ADJ026, tree, mismatch, name.equals("fill") ? "fill a double[] or int[] with "
                        + "numbers and a double[][] with rows (double[])" : "copy between arrays of one type (Java "
                        + "throws ArrayStoreException otherwise)");
            }
        }
        List<ExecutableElement> byArity = new ArrayList<>();
        for (ExecutableElement m : candidates) {
            if (m.getParameters().size() == args.size()) {
                byArity.add(m);
            }
        }
        if (byArity.isEmpty()) {
            for (ExecutableElement m : candidates) {
                if (m.isVarArgs() && args.size() >= m.getParameters().size() - 1) {
                    return ctx.error(ADJ024, tree, "call of the varargs method " + name,
                            WayOuts.varargsCall(tree, m, this::written));
                }
            }
            return ctx.error(ADJ021, tree, "no method " + name + " takes " + args.size() + " arguments",
                    WayOuts.arities(name, candidates));
        }
        ExecutableElement chosen = argsOk ? pick(byArity, args) : null;
        // a method that calls itself is recursive: the pipeline finds the cycle, as it does through other methods
        if (chosen == null) {
            return null;
        }
        TypeElement owner = TypeResolver.declaringType(chosen);
        String ownerName = owner == null ? "" : TypeResolver.canonicalName(owner);
        if (MATH_CLASSES.contains(ownerName)) {
            return mathCall(tree, ownerName, name, args, true);
        }
        if (!chosen.getModifiers().contains(Modifier.STATIC)) {
            if (ctx.receivers() != null && ctx.treeOf(chosen) instanceof com.sun.source.tree.MethodTree called
                    && called.getBody() != null && owner != null) {
                return ctx.error(ADJ024, tree, "call of the instance method " + name + ": Adjoint differentiates "
                        + "through calls of static methods only", Signatures.notStaticWayOut(chosen, called, owner,
                                ctx) + ", and call it so");
            }
            return ctx.error(ADJ024, tree, "instance method " + name + (ctx.receivers() == null
                    ? " (the @Differentiable method is static)" : ""), "make " + name + " static");
        }
        String here = ctx.accessPackage();
        TypeMirror declaredResult = chosen.getReturnType();
        Ty resultTy = TypeResolver.ty(declaredResult);
        List<Ty> paramTys = new ArrayList<>();
        boolean paramsInSubset = true;
        for (var p : chosen.getParameters()) {
            Ty t = TypeResolver.ty(p.asType());
            paramsInSubset &= t != null;
            paramTys.add(t);
        }
        boolean isVoid = declaredResult.getKind() == TypeKind.VOID;
        if ((resultTy != null || isVoid) && paramsInSubset) {
            // a void method's callee has no result type: it can only be a statement, and only inlined
            dev.adjoint.processor.ir.Callee callee = new dev.adjoint.processor.ir.Callee(ownerName, name, paramTys,
                    resultTy);
            dev.adjoint.processor.rules.Registry.Entry custom = ctx.registry().lookup(callee);
            if (custom == null && ctx.findClassPathRules(chosen)) {
                // compiled elsewhere with @Differentiable: its generated class's entry points are its rules
                custom = ctx.registry().lookup(callee);
            }
            if (custom != null && (custom.rule() != null || custom.calls() != null)) {
                // a custom rule makes the method a primitive, with or without its source here
                if (!WayOuts.inaccessible(chosen, here).isEmpty()) {
                    return ctx.error(ADJ024, tree, WayOuts.whyInaccessible(chosen, here) + ": the generated gradient "
                            + "class is a separate class and cannot call it", WayOuts.notAccessible(chosen, here));
                }
                return new Expr.MathCall(custom.callee(), args, pos(tree));
            }
            String[] deferred = WayOuts.inaccessible(chosen, here).isEmpty() ? null : new String[] {
                WayOuts.whyInaccessible(chosen, here) + ": the generated gradient class is a separate class and "
                        + "cannot call it", WayOuts.notAccessible(chosen, here)};
            if (ctx.recordSource(callee, chosen, deferred)) {
                // its source is in this compilation: differentiated through (its body inlined where it is called),
                // whatever its access, since the generated code never calls it
                return new Expr.Call(callee, args, pos(tree));
            }
        }
        if (!WayOuts.inaccessible(chosen, here).isEmpty()) {
            return ctx.error(ADJ024, tree, WayOuts.whyInaccessible(chosen, here) + ": the generated gradient class "
                    + "is a separate class and cannot call it", WayOuts.notAccessible(chosen, here));
        }
        TypeMirror result = chosen.getReturnType();
        Ty type = TypeResolver.ty(result);
        if (type == null) {
            if (TypeResolver.isString(result)) {
                return ctx.error(ADJ015, tree, name + " returns a String");
            }
            if (result.getKind() == TypeKind.VOID) {
                return ctx.error(ADJ024, tree, "call of " + ownerName + "." + name + ", which returns nothing (void): "
                        + "Adjoint cannot see what it does to its arguments",
                        WayOuts.voidCall(name));
            }
            return ctx.error(ADJ003, tree, "call of " + name + ", which returns " + result,
                    "call a method that returns " + Signatures.SUPPORTED_TYPES + ", or compute the value before the "
                            + "@Differentiable method and pass it in as a parameter when it does not depend on a "
                            + "differentiated parameter");
        }
        List<Ty> params = new ArrayList<>();
        for (var p : chosen.getParameters()) {
            params.add(TypeResolver.ty(p.asType()));
        }
        return new Expr.Call(new dev.adjoint.processor.ir.Callee(ownerName, name, params, type), args, pos(tree));
    }

    /** The owners of the JDK's array operations that lowering replaces by loops ({@link Registry}). */
    private static final Set<String> ARRAY_OPERATION_OWNERS = Set.of("java.util.Arrays", "java.lang.System");

    /**
     * @return the owner, {@code java.util.Arrays} or {@code java.lang.System}, when every candidate of the call is
     *     a method of it, else null
     */
    private static String arrayOperationOwner(String name, List<ExecutableElement> candidates) {
        String owner = null;
        for (ExecutableElement m : candidates) {
            TypeElement t = TypeResolver.declaringType(m);
            String o = t == null ? "" : TypeResolver.canonicalName(t);
            if (owner != null && !owner.equals(o)) {
                return null;
            }
            owner = o;
        }
        return owner != null && ARRAY_OPERATION_OWNERS.contains(owner) ? owner : null;
    }

    /**
     * @return the array operation ({@code Arrays.fill}, {@code copyOf}, {@code copyOfRange},
     *     {@code System.arraycopy}) on the subset's arrays that the call is, as the registry resolves it from the
     *     arguments' types; null when it is none (then the call is an ordinary call of the JDK's method)
     */
    private static Callee arrayOperation(String owner, String name, List<Expr> args) {
        List<Ty> types = new ArrayList<>();
        for (Expr a : args) {
            types.add(a.type());
        }
        Callee c = Registry.BUILTINS.resolve(owner, name, types);
        return c != null && Registry.BUILTINS.lowersToLoops(c) ? c : null;
    }

    /**
     * @return what is wrong with a fill or arraycopy of the subset's arrays that Java accepts but that fails when it
     *     runs (ArrayStoreException): a double[][] filled with a number, a copy between arrays of two types; null
     *     when it is not that
     */
    private static String arrayOperationMismatch(String name, List<Expr> args) {
        if (name.equals("fill") && (args.size() == 2 || args.size() == 4) && args.get(0).type().isArray()) {
            return "Arrays.fill of " + withArticle(args.get(0).type()) + " with "
                    + withArticle(args.get(args.size() - 1).type());
        }
        if (name.equals("arraycopy") && args.size() == 5 && args.get(0).type().isArray()
                && args.get(2).type().isArray() && args.get(0).type() != args.get(2).type()) {
            return "System.arraycopy from " + withArticle(args.get(0).type()) + " into "
                    + withArticle(args.get(2).type());
        }
        return null;
    }

    /** "a double[]", "an int[]". */
    private static String withArticle(Ty t) {
        return (t.java().startsWith("i") ? "an " : "a ") + t.java();
    }

    /** Picks the overload Java would: applicable by widening, then the most specific. */
    private static ExecutableElement pick(List<ExecutableElement> byArity, List<Expr> args) {
        List<ExecutableElement> applicable = new ArrayList<>();
        for (ExecutableElement m : byArity) {
            boolean ok = true;
            for (int i = 0; i < args.size() && ok; i++) {
                Ty p = TypeResolver.ty(m.getParameters().get(i).asType());
                ok = p != null && assignable(args.get(i).type(), p);
            }
            if (ok) {
                applicable.add(m);
            }
        }
        if (applicable.isEmpty()) {
            return byArity.get(0);
        }
        for (ExecutableElement c : applicable) {
            boolean mostSpecific = true;
            for (ExecutableElement d : applicable) {
                for (int i = 0; i < args.size() && mostSpecific; i++) {
                    mostSpecific = assignable(TypeResolver.ty(c.getParameters().get(i).asType()),
                            TypeResolver.ty(d.getParameters().get(i).asType()));
                }
            }
            if (mostSpecific) {
                return c;
            }
        }
        return applicable.get(0);
    }

    private Expr mathCall(MethodInvocationTree tree, String owner, String fn, List<Expr> args, boolean argsOk) {
        String cls = owner.substring(owner.lastIndexOf('.') + 1);
        if (!MathFunctions.isSupported(fn)) {
            return ctx.error(ADJ022, tree, cls + "." + fn + " has no derivative rule in Adjoint",
                    WayOuts.unsupportedMath(cls, fn, tree.getArguments(), this::written));
        }
        int arity = MathFunctions.arity(fn);
        if (args.size() != arity) {
            return ctx.error(ADJ022, tree, cls + "." + fn + " with " + args.size() + " argument"
                    + (args.size() == 1 ? "" : "s"), "call " + cls + "." + fn + " with " + arity + " argument"
                    + (arity == 1 ? "" : "s"));
        }
        if (!argsOk) {
            return null;
        }
        List<Ty> types = new ArrayList<>();
        for (Expr a : args) {
            types.add(a.type());
        }
        dev.adjoint.processor.ir.Callee callee = ctx.registry().resolve(owner, fn, types);
        if (callee == null) {
            StringBuilder sig = new StringBuilder();
            for (Ty t : types) {
                sig.append(sig.length() == 0 ? "" : ", ").append(t.java());
            }
            return ctx.error(ADJ026, tree, cls + "." + fn + "(" + sig + ")",
                    WayOuts.mathArguments(cls, fn, types, tree.getArguments(), this::written));
        }
        return new Expr.MathCall(callee, args, pos(tree));
    }

    // ---------------------------------------------------------------- helpers

    static ExpressionTree unparenthesize(ExpressionTree tree) {
        ExpressionTree t = tree;
        while (t instanceof ParenthesizedTree p) {
            t = p.getExpression();
        }
        return t;
    }

    private static Pos pos(Tree tree) {
        return new Pos(tree);
    }
}
