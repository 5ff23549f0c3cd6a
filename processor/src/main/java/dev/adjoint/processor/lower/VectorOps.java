package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.List;
import java.util.Map;

/**
 * The paper's vector operations ({@code dev.adjoint.Vectors}) lowered to the loops they are, the same loops in the
 * same order as the runtime class runs them (so values are bit for bit the same). Differentiating the loops applies
 * the paper's vector rules element by element: an element-wise operation's Jacobian is diagonal, so each output
 * element's adjoint goes to the same element of each operand (the sum, difference, product and quotient rules);
 * {@code sum} gives 1ᵀ, {@code dot} wᵀ and xᵀ, scalar expansion 1 and x, {@code relu} the max(0, z) rule; no
 * Jacobian matrix is built and every derivative is O(n).
 */
public final class VectorOps {
    /** The runtime class. */
    public static final String OWNER = "dev.adjoint.Vectors";

    /** Each operation and the name of the local that holds its result in generated code. */
    private static final Map<String, String> RESULT_NAMES = Map.ofEntries(Map.entry("dot", "inner"),
            Map.entry("sum", "total"), Map.entry("add", "sum"), Map.entry("subtract", "difference"),
            Map.entry("multiply", "product"), Map.entry("divide", "quotient"), Map.entry("addScalar", "shifted"),
            Map.entry("scale", "scaled"), Map.entry("relu", "rectified"), Map.entry("matVec", "wx"));

    private VectorOps() {}

    /**
     * @return whether the call is one that the registry says lowering expands: one of the vector operations, or
     *     one of the JDK's array operations ({@link ArrayOps})
     */
    public static boolean expands(Expr e) {
        return e instanceof Expr.Call c && dev.adjoint.processor.rules.Registry.BUILTINS.lowersToLoops(c.callee());
    }

    /**
     * Appends the loops that compute the call.
     *
     * @param c       the call
     * @param args    its arguments, each a variable or a constant (evaluated once, in order, by the caller)
     * @param symbols where locals come from
     * @param out     where the statements go
     * @return the result: a read of the local that holds it
     */
    static Expr expand(Expr.Call c, List<Expr> args, SymbolTable symbols, List<Core> out) {
        Pos pos = c.pos();
        Sym result = symbols.fresh(RESULT_NAMES.get(c.name()), c.type());
        Expr a = args.get(0);
        switch (c.name()) {
            case "dot" -> {
                sameLength(a, args.get(1), "dot", pos, out);
                out.add(new Core.Declare(result, zero(), pos));
                Sym i = symbols.fresh("i", Ty.INT);
                out.add(loop(i, length(a), new Core.Assign(var(result), binary(BinOp.ADD, var(result),
                        binary(BinOp.MUL, load(a, i), load(args.get(1), i))), pos), pos));
            }
            case "sum" -> {
                out.add(new Core.Declare(result, zero(), pos));
                Sym i = symbols.fresh("i", Ty.INT);
                out.add(loop(i, length(a), new Core.Assign(var(result), binary(BinOp.ADD, var(result), load(a, i)),
                        pos), pos));
            }
            case "add", "subtract", "multiply", "divide" -> {
                sameLength(a, args.get(1), c.name(), pos, out);
                BinOp op = switch (c.name()) {
                    case "add" -> BinOp.ADD;
                    case "subtract" -> BinOp.SUB;
                    case "multiply" -> BinOp.MUL;
                    default -> BinOp.DIV;
                };
                elementWise(result, a, i -> binary(op, load(a, i), load(args.get(1), i)), symbols, pos, out);
            }
            case "addScalar" -> elementWise(result, a, i -> binary(BinOp.ADD, load(a, i), args.get(1)), symbols, pos,
                    out);
            case "scale" -> elementWise(result, a, i -> binary(BinOp.MUL, load(a, i), args.get(1)), symbols, pos,
                    out);
            case "relu" -> elementWise(result, a, i -> new Expr.MathCall(new dev.adjoint.processor.ir.Callee(
                    "java.lang.Math", "max", List.of(Ty.DOUBLE, Ty.DOUBLE), Ty.DOUBLE),
                    List.of(new Expr.Lit("0", Ty.INT, Pos.NONE), load(a, i)),
                    Pos.NONE), symbols, pos, out);
            case "matVec" -> {
                Expr x = args.get(1);
                out.add(new Core.Declare(result, new Expr.NewArray(Ty.DOUBLE_ARRAY, List.of(length(a)), pos), pos));
                Sym i = symbols.fresh("i", Ty.INT);
                Sym j = symbols.fresh("j", Ty.INT);
                Sym s = symbols.fresh("s", Ty.DOUBLE);
                Expr row = new Expr.ArrayLoad(a, var(i), Pos.NONE);
                List<Core> body = new java.util.ArrayList<>();
                sameLength(row, x, "matVec", pos, body);
                body.add(new Core.Declare(s, zero(), pos));
                body.add(loop(j, length(x), new Core.Assign(var(s), binary(BinOp.ADD, var(s),
                        binary(BinOp.MUL, new Expr.ArrayLoad(row, var(j), Pos.NONE), load(x, j))), pos), pos));
                body.add(new Core.Assign(load(var(result), i), var(s), pos));
                out.add(new Core.For(i, new Expr.Lit("0", Ty.INT, Pos.NONE), BinOp.LT, length(var(result)), 1,
                        new Core.Block(body, pos), pos));
            }
            default -> throw new IllegalStateException("no expansion of " + c.callee().signature());
        }
        return var(result);
    }

    private interface Element {
        Expr at(Sym i);
    }

    private static void elementWise(Sym result, Expr a, Element value, SymbolTable symbols, Pos pos,
            List<Core> out) {
        out.add(new Core.Declare(result, new Expr.NewArray(Ty.DOUBLE_ARRAY, List.of(length(a)), pos), pos));
        Sym i = symbols.fresh("i", Ty.INT);
        out.add(loop(i, length(var(result)), new Core.Assign(load(var(result), i), value.at(i), pos), pos));
    }

    /** {@code if (a.length != b.length) throw new IllegalArgumentException(...)}, as the runtime class checks. */
    private static void sameLength(Expr a, Expr b, String op, Pos pos, List<Core> out) {
        Expr differ = new Expr.Binary(BinOp.NE, length(a), length(b), Ty.BOOLEAN, Pos.NONE);
        Core thrown = new Core.Throw("new java.lang.IllegalArgumentException(\"Vectors." + op
                + ": the arrays' lengths differ\")", pos);
        out.add(new Core.If(differ, new Core.Block(List.of(thrown), pos), new Core.Block(List.of(), pos), pos));
    }

    private static Core loop(Sym i, Expr bound, Core body, Pos pos) {
        return new Core.For(i, new Expr.Lit("0", Ty.INT, Pos.NONE), BinOp.LT, bound, 1,
                new Core.Block(List.of(body), pos), pos);
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }

    private static Expr length(Expr a) {
        return new Expr.Length(a, Pos.NONE);
    }

    private static Expr load(Expr a, Sym i) {
        return new Expr.ArrayLoad(a, var(i), Pos.NONE);
    }

    private static Expr binary(BinOp op, Expr l, Expr r) {
        return new Expr.Binary(op, l, r, Ty.DOUBLE, Pos.NONE);
    }

    private static Expr zero() {
        return new Expr.Lit("0.0", Ty.DOUBLE, Pos.NONE);
    }
}
