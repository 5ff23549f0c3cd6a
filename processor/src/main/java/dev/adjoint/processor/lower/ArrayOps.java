package dev.adjoint.processor.lower;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Pos;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDK's array operations on the subset's arrays lowered to the loops they are, as {@link VectorOps} lowers the
 * paper's: {@code java.util.Arrays.fill} (whole or a range), {@code Arrays.copyOf} (padded with zeros past the
 * original's length), {@code Arrays.copyOfRange}, {@code System.arraycopy} (backwards when the destination range
 * starts after the source range, so that a copy within one array is as if through a temporary) and an array's
 * {@code clone()}. They check their arguments as the JDK does (the same exceptions, before anything is written)
 * and copy or store the same elements, so values are the same; on a {@code double[][]} they copy or store rows,
 * as Java does (a clone's rows are the original's). The analyses then see plain loops: a copy is a new allocation
 * for points-to, its elements are saved where the reverse sweep needs them, and a write into a parameter's array
 * is the usual error.
 */
final class ArrayOps {
    private ArrayOps() {}

    /**
     * Appends the statements that carry out the operation.
     *
     * @param c       the call
     * @param args    its arguments, each a variable or a constant (evaluated once, in order, by the caller)
     * @param symbols where locals come from
     * @param out     where the statements go
     * @return a read of the local holding the result, or null for an operation that returns nothing
     */
    static Expr expand(Expr.Call c, List<Expr> args, SymbolTable symbols, List<Core> out) {
        Pos pos = c.pos();
        Expr a = args.get(0);
        Ty type = c.callee().params().get(0);
        switch (c.name()) {
            case "clone" -> {
                Sym copy = symbols.fresh("copy", type);
                out.add(new Core.Declare(copy, newArray(type, length(a), pos), pos));
                copyLoop(var(copy), zero(), a, zero(), length(var(copy)), true, symbols, pos, out);
                return var(copy);
            }
            case "copyOf" -> {
                Expr n = args.get(1);
                Sym copy = symbols.fresh("copy", type);
                out.add(new Core.Declare(copy, newArray(type, n, pos), pos));
                copyLoop(var(copy), zero(), a, zero(), min(length(var(copy)), length(a)), true, symbols, pos, out);
                return var(copy);
            }
            case "copyOfRange" -> {
                Expr from = args.get(1);
                Expr to = args.get(2);
                throwIf(cmp(BinOp.GT, from, to), "java.lang.IllegalArgumentException",
                        "Arrays.copyOfRange: from > to", pos, out);
                throwIf(or(negative(from), cmp(BinOp.GT, from, length(a))),
                        "java.lang.ArrayIndexOutOfBoundsException", "Arrays.copyOfRange: from out of bounds", pos,
                        out);
                Sym slice = symbols.fresh("slice", type);
                out.add(new Core.Declare(slice, newArray(type, sub(to, from), pos), pos));
                copyLoop(var(slice), zero(), a, from, sub(min(length(a), to), from), true, symbols, pos, out);
                return var(slice);
            }
            case "fill" -> {
                Expr value = args.get(args.size() - 1);
                Ty element = type.element();
                if (value.type() != element) {
                    value = new Expr.Cast(element, value, Pos.NONE);
                }
                Expr from = zero();
                Expr to = length(a);
                if (args.size() == 4) {
                    from = args.get(1);
                    to = args.get(2);
                    throwIf(cmp(BinOp.GT, from, to), "java.lang.IllegalArgumentException",
                            "Arrays.fill: fromIndex > toIndex", pos, out);
                    throwIf(or(negative(from), cmp(BinOp.GT, to, length(a))),
                            "java.lang.ArrayIndexOutOfBoundsException", "Arrays.fill: range out of bounds", pos, out);
                }
                Sym i = symbols.fresh("i", Ty.INT);
                Core store = new Core.Assign(new Expr.ArrayLoad(a, var(i), Pos.NONE), value, pos);
                out.add(new Core.For(i, from, BinOp.LT, to, 1, new Core.Block(List.of(store), pos), pos));
                return null;
            }
            case "arraycopy" -> {
                Expr srcPos = args.get(1);
                Expr dst = args.get(2);
                Expr dstPos = args.get(3);
                Expr n = args.get(4);
                throwIf(or(or(negative(srcPos), negative(dstPos)), or(negative(n),
                        or(cmp(BinOp.GT, srcPos, sub(length(a), n)), cmp(BinOp.GT, dstPos, sub(length(dst), n))))),
                        "java.lang.ArrayIndexOutOfBoundsException", "arraycopy: range out of bounds", pos, out);
                Integer s = constant(srcPos);
                Integer d = constant(dstPos);
                if (s != null && d != null) {
                    // where the ranges could overlap, the direction that reads each element before it is written
                    copyLoop(dst, dstPos, a, srcPos, n, s >= d, symbols, pos, out);
                } else {
                    List<Core> backward = new ArrayList<>();
                    copyLoop(dst, dstPos, a, srcPos, n, false, symbols, pos, backward);
                    List<Core> forward = new ArrayList<>();
                    copyLoop(dst, dstPos, a, srcPos, n, true, symbols, pos, forward);
                    out.add(new Core.If(cmp(BinOp.LT, srcPos, dstPos), new Core.Block(backward, pos),
                            new Core.Block(forward, pos), pos));
                }
                return null;
            }
            default -> throw new IllegalStateException("no expansion of " + c.callee().signature());
        }
    }

    /** {@code for (i = 0; i < n; i++) dst[dstPos + i] = src[srcPos + i]} (or from {@code n - 1} down to 0). */
    private static void copyLoop(Expr dst, Expr dstPos, Expr src, Expr srcPos, Expr n, boolean forward,
            SymbolTable symbols, Pos pos, List<Core> out) {
        Sym i = symbols.fresh("i", Ty.INT);
        Core copy = new Core.Assign(new Expr.ArrayLoad(dst, add(dstPos, var(i)), Pos.NONE),
                new Expr.ArrayLoad(src, add(srcPos, var(i)), Pos.NONE), pos);
        Core.Block body = new Core.Block(List.of(copy), pos);
        out.add(forward ? new Core.For(i, zero(), BinOp.LT, n, 1, body, pos)
                : new Core.For(i, sub(n, one()), BinOp.GE, zero(), -1, body, pos));
    }

    /** {@code if (cond) throw new type("message");}, left out when {@code cond} is the constant false. */
    private static void throwIf(Expr cond, String type, String message, Pos pos, List<Core> out) {
        if (cond == null) {
            return;
        }
        Core thrown = new Core.Throw("new " + type + "(\"" + message + "\")", pos);
        out.add(new Core.If(cond, new Core.Block(List.of(thrown), pos), new Core.Block(List.of(), pos), pos));
    }

    /** @return {@code e < 0}, or null (false) when {@code e} is a constant that is not negative */
    private static Expr negative(Expr e) {
        Integer k = constant(e);
        return k != null && k >= 0 ? null : cmp(BinOp.LT, e, zero());
    }

    /** @return {@code a || b}, either of which may be null (false) */
    private static Expr or(Expr a, Expr b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return new Expr.Binary(BinOp.OR, a, b, Ty.BOOLEAN, Pos.NONE);
    }

    private static Expr cmp(BinOp op, Expr a, Expr b) {
        return new Expr.Binary(op, a, b, Ty.BOOLEAN, Pos.NONE);
    }

    /** @return {@code a + b} in int, or {@code b} when {@code a} is the constant 0 */
    private static Expr add(Expr a, Expr b) {
        Integer k = constant(a);
        return k != null && k == 0 ? b : new Expr.Binary(BinOp.ADD, a, b, Ty.INT, Pos.NONE);
    }

    /** @return {@code a - b} in int, or {@code a} when {@code b} is the constant 0 */
    private static Expr sub(Expr a, Expr b) {
        Integer k = constant(b);
        return k != null && k == 0 ? a : new Expr.Binary(BinOp.SUB, a, b, Ty.INT, Pos.NONE);
    }

    private static Expr min(Expr a, Expr b) {
        return new Expr.MathCall(new Callee("java.lang.Math", "min", List.of(Ty.INT, Ty.INT), Ty.INT), List.of(a, b),
                Pos.NONE);
    }

    /** @return the value of an int literal written plainly in decimal, or null */
    private static Integer constant(Expr e) {
        if (e instanceof Expr.Lit l && l.type() == Ty.INT) {
            try {
                return Integer.valueOf(l.text());
            } catch (NumberFormatException notDecimal) {
                return null; // 0x10, 1_000: left to the checks when the code runs
            }
        }
        return null;
    }

    /** {@code new double[n]}, {@code new int[n]}, or {@code new double[n][]} for the rows of a matrix. */
    private static Expr newArray(Ty type, Expr n, Pos pos) {
        return new Expr.NewArray(type, List.of(n), pos);
    }

    private static Expr var(Sym s) {
        return new Expr.Var(s, Pos.NONE);
    }

    private static Expr length(Expr a) {
        return new Expr.Length(a, Pos.NONE);
    }

    private static Expr zero() {
        return new Expr.Lit("0", Ty.INT, Pos.NONE);
    }

    private static Expr one() {
        return new Expr.Lit("1", Ty.INT, Pos.NONE);
    }
}
