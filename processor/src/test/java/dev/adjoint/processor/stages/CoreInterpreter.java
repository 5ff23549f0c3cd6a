package dev.adjoint.processor.stages;

import dev.adjoint.processor.ir.Core;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import dev.adjoint.processor.transform.Gradient;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Core IR, primal and derivative nodes alike, without printing or compiling it: so that a stage test can check
 * the values a derivative's IR computes. Values are boxed ({@code Double}, {@code Integer}, {@code Long},
 * {@code Boolean}) or arrays; the tape has the runtime's three stacks (doubles; ints, longs and booleans; array
 * references), and a pop must find the kind of value its type says, so a misordered tape fails here.
 */
final class CoreInterpreter {
    /** The variables, by symbol (symbols compare by identity). */
    final Map<Sym, Object> env = new IdentityHashMap<>();
    private final Deque<Object> doubles = new ArrayDeque<>();
    private final Deque<Object> ints = new ArrayDeque<>();
    private final Deque<Object> refs = new ArrayDeque<>();
    /** Statements run so far: a derivative that loops forever fails instead of hanging the build. */
    private long steps;
    private static final long MAX_STEPS = 1_000_000;

    /** @return the value of an expression that reads no variable and no tape: a filled rule template */
    static Object evalClosed(Expr e) {
        return new CoreInterpreter().eval(e);
    }

    /** @return a closed double-valued expression's value */
    static double evalDouble(Expr e) {
        return ((Number) evalClosed(e)).doubleValue();
    }

    /** @return the value of the gradient's result after running its forward sweep on {@code args} */
    static double value(Gradient g, Object... args) {
        CoreInterpreter in = new CoreInterpreter();
        in.bind(g, args);
        in.exec(g.forward());
        return ((Number) in.env.get(g.result())).doubleValue();
    }

    /**
     * Runs both sweeps on {@code args}.
     *
     * @return the interpreter after the reverse sweep: its variables hold the adjoints
     */
    static CoreInterpreter run(Gradient g, Object... args) {
        CoreInterpreter in = new CoreInterpreter();
        in.bind(g, args);
        // the adjoints of array parameters are made by the entry point before the sweeps, not by the sweeps (a loop
        // reversed trip by trip adds into them during the forward sweep)
        for (Map.Entry<Sym, Sym> e : g.adjoints().entrySet()) {
            if (e.getKey().type().isArray()) {
                in.env.put(e.getValue(), zerosLike(in.env.get(e.getKey())));
            }
        }
        in.exec(g.forward());
        in.exec(g.reverse());
        if (!in.doubles.isEmpty() || !in.ints.isEmpty() || !in.refs.isEmpty()) {
            throw new AssertionError("the reverse sweep left values on the tape: " + in.doubles + " " + in.ints
                    + " " + in.refs);
        }
        return in;
    }

    /** @return the adjoint of parameter {@code p} after {@link #run} */
    double adjoint(Gradient g, Sym p) {
        Sym bar = g.adjoints().get(p);
        if (bar == null) {
            throw new AssertionError("no adjoint of " + p + ": " + g.adjoints());
        }
        return ((Number) env.get(bar)).doubleValue();
    }

    private void bind(Gradient g, Object... args) {
        List<Sym> params = g.request().method().params();
        if (params.size() != args.length) {
            throw new IllegalArgumentException(params + " takes " + params.size() + " arguments");
        }
        for (int i = 0; i < args.length; i++) {
            env.put(params.get(i), convert(args[i], params.get(i).type()));
        }
    }

    private static Object zerosLike(Object array) {
        if (array instanceof double[] a) {
            return new double[a.length];
        }
        double[][] m = (double[][]) array;
        double[][] z = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            z[i] = m[i] == null ? null : new double[m[i].length];
        }
        return z;
    }

    // ---------------------------------------------------------------- statements

    void exec(Core c) {
        if (++steps > MAX_STEPS) {
            throw new AssertionError("more than " + MAX_STEPS + " statements run: a loop that does not end?");
        }
        c.accept(new Core.Visitor<Void>() {
            @Override
            public Void visitBlock(Core.Block b) {
                b.stmts().forEach(CoreInterpreter.this::exec);
                return null;
            }

            @Override
            public Void visitDeclare(Core.Declare d) {
                env.put(d.sym(), convert(eval(d.init()), d.sym().type()));
                return null;
            }

            @Override
            public Void visitAssign(Core.Assign a) {
                store(a.target(), eval(a.value()));
                return null;
            }

            @Override
            public Void visitEval(Core.Eval e) {
                eval(e.call());
                return null;
            }

            @Override
            public Void visitIf(Core.If i) {
                exec((Boolean) eval(i.cond()) ? i.then() : i.otherwise());
                return null;
            }

            @Override
            public Void visitFor(Core.For f) {
                env.put(f.index(), convert(eval(f.from()), f.index().type()));
                while (compare(f.cmp(), f.index().type() == Ty.LONG || f.bound().type() == Ty.LONG ? Ty.LONG
                        : Ty.INT, env.get(f.index()), eval(f.bound()))) {
                    exec(f.body());
                    long next = ((Number) env.get(f.index())).longValue() + f.step();
                    env.put(f.index(), convert(next, f.index().type()));
                }
                return null;
            }

            @Override
            public Void visitWhile(Core.While w) {
                if (w.testFirst()) {
                    while (true) {
                        exec(w.preCond());
                        if (!(Boolean) eval(w.cond())) {
                            break;
                        }
                        exec(w.body());
                        exec(w.update());
                    }
                } else {
                    do {
                        exec(w.body());
                        exec(w.update());
                    } while ((Boolean) eval(w.cond()));
                }
                return null;
            }

            @Override
            public Void visitThrow(Core.Throw t) {
                throw new Thrown(t.source());
            }

            @Override
            public Void visitSave(Core.Save s) {
                stack(s.value().type()).push(convert(eval(s.value()), s.value().type()));
                return null;
            }

            @Override
            public Void visitRestore(Core.Restore r) {
                Object v = pop(r.target().type());
                if (r.declare()) {
                    env.put(((Expr.Var) r.target()).sym(), v);
                } else {
                    store(r.target(), v);
                }
                return null;
            }

            @Override
            public Void visitAccumulate(Core.Accumulate a) {
                double old = ((Number) eval(a.adjoint())).doubleValue();
                double term = ((Number) eval(a.term())).doubleValue();
                store(a.adjoint(), a.subtract() ? old - term : old + term);
                return null;
            }

            @Override
            public Void visitZero(Core.Zero z) {
                store(z.adjoint(), 0.0);
                return null;
            }

            @Override
            public Void visitSwitch(Core.Switch s) {
                int k = (Integer) eval(s.selector());
                if (k >= 0 && k < s.cases().size()) {
                    exec(s.cases().get(k));
                }
                return null;
            }

            @Override
            public Void visitNote(Core.Note n) {
                return null;
            }
        });
    }

    /** A {@code throw} of the IR, run. */
    static final class Thrown extends RuntimeException {
        Thrown(String source) {
            super(source);
        }
    }

    private Deque<Object> stack(Ty t) {
        return switch (t) {
            case DOUBLE -> doubles;
            case INT, LONG, BOOLEAN -> ints;
            default -> refs;
        };
    }

    private Object pop(Ty t) {
        Deque<Object> s = stack(t);
        if (s.isEmpty()) {
            throw new AssertionError("a pop of " + t + " from an empty tape");
        }
        Object v = s.pop();
        Class<?> expected = switch (t) {
            case DOUBLE -> Double.class;
            case INT -> Integer.class;
            case LONG -> Long.class;
            case BOOLEAN -> Boolean.class;
            case DOUBLE_ARRAY -> double[].class;
            case DOUBLE_MATRIX -> double[][].class;
            case INT_ARRAY -> int[].class;
            case TENSOR3 -> double[][][].class;
        };
        if (v != null && v.getClass() != expected) {
            throw new AssertionError("a pop of " + t + " found " + v + " on the tape");
        }
        return v;
    }

    private void store(Expr target, Object value) {
        if (target instanceof Expr.Var v) {
            env.put(v.sym(), convert(value, v.sym().type()));
        } else if (target instanceof Expr.ArrayLoad al) {
            Object array = eval(al.array());
            int i = (Integer) eval(al.index());
            Array.set(array, i, convert(value, al.type()));
        } else {
            throw new IllegalStateException("not a target: " + target);
        }
    }

    // ---------------------------------------------------------------- expressions

    Object eval(Expr e) {
        return e.accept(new Expr.Visitor<Object>() {
            @Override
            public Object visitLit(Expr.Lit l) {
                String t = l.text();
                if (t.equals("null")) {
                    return null;
                }
                return switch (l.type()) {
                    case DOUBLE -> Double.parseDouble(t);
                    case INT -> Integer.decode(t);
                    case LONG -> Long.decode(t.endsWith("L") || t.endsWith("l") ? t.substring(0, t.length() - 1) : t);
                    case BOOLEAN -> Boolean.parseBoolean(t);
                    default -> throw new IllegalStateException("a literal of " + l.type());
                };
            }

            @Override
            public Object visitVar(Expr.Var v) {
                if (!env.containsKey(v.sym())) {
                    throw new AssertionError("a read of " + v.sym() + " before it is assigned");
                }
                return env.get(v.sym());
            }

            @Override
            public Object visitStaticField(Expr.StaticField f) {
                try {
                    return Class.forName(f.owner()).getField(f.name()).get(null);
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException(ex);
                }
            }

            @Override
            public Object visitArrayLoad(Expr.ArrayLoad a) {
                return Array.get(eval(a.array()), (Integer) eval(a.index()));
            }

            @Override
            public Object visitLength(Expr.Length l) {
                return Array.getLength(eval(l.array()));
            }

            @Override
            public Object visitUnary(Expr.Unary u) {
                Object v = eval(u.operand());
                return switch (u.op()) {
                    case NOT -> !(Boolean) v;
                    case PLUS -> convert(v, u.type());
                    case NEG -> switch (u.type()) {
                        case DOUBLE -> -((Number) v).doubleValue();
                        case LONG -> -((Number) v).longValue();
                        default -> -((Number) v).intValue();
                    };
                    case BITNOT -> u.type() == Ty.LONG ? ~((Number) v).longValue() : ~((Number) v).intValue();
                };
            }

            @Override
            public Object visitBinary(Expr.Binary b) {
                if (b.op() == Expr.BinOp.AND) {
                    return (Boolean) eval(b.left()) && (Boolean) eval(b.right());
                } else if (b.op() == Expr.BinOp.OR) {
                    return (Boolean) eval(b.left()) || (Boolean) eval(b.right());
                }
                Object l = eval(b.left());
                Object r = eval(b.right());
                if (b.op().isComparison()) {
                    if (l instanceof Boolean) {
                        return b.op() == Expr.BinOp.EQ ? l.equals(r) : !l.equals(r);
                    }
                    return compare(b.op(), Ty.promote(b.left().type(), b.right().type()), l, r);
                }
                return arithmetic(b.op(), b.type(), l, r);
            }

            @Override
            public Object visitCond(Expr.Cond c) {
                return convert((Boolean) eval(c.cond()) ? eval(c.then()) : eval(c.otherwise()), c.type());
            }

            @Override
            public Object visitCast(Expr.Cast c) {
                return convert(eval(c.operand()), c.type());
            }

            @Override
            public Object visitMathCall(Expr.MathCall m) {
                return call(m.owner(), m.fn(), m.callee().params(), m.args());
            }

            @Override
            public Object visitCall(Expr.Call c) {
                return call(c.owner(), c.name(), c.callee().params(), c.args());
            }

            @Override
            public Object visitNewArray(Expr.NewArray n) {
                int[] dims = new int[n.dims().size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = (Integer) eval(n.dims().get(i));
                }
                Class<?> element = n.type() == Ty.INT_ARRAY ? int.class : double.class;
                if (n.type() == Ty.DOUBLE_MATRIX && dims.length == 1) {
                    element = double[].class;
                }
                return Array.newInstance(element, dims);
            }

            @Override
            public Object visitArrayInit(Expr.ArrayInit i) {
                Object a = Array.newInstance(i.type() == Ty.DOUBLE_MATRIX ? double[].class
                        : i.type() == Ty.INT_ARRAY ? int.class : double.class, i.elements().size());
                for (int k = 0; k < i.elements().size(); k++) {
                    Array.set(a, k, convert(eval(i.elements().get(k)), i.type().element()));
                }
                return a;
            }

            @Override
            public Object visitAssign(Expr.Assign a) {
                throw new AssertionError("an assignment inside an expression of lowered IR");
            }

            @Override
            public Object visitIncDec(Expr.IncDec i) {
                throw new AssertionError("an increment inside an expression of lowered IR");
            }

            @Override
            public Object visitHole(Expr.Hole h) {
                throw new AssertionError("an unfilled hole " + h);
            }

            @Override
            public Object visitPop(Expr.Pop p) {
                return pop(p.type());
            }
        });
    }

    private Object call(String owner, String name, List<Ty> params, List<Expr> args) {
        Class<?>[] types = new Class<?>[params.size()];
        Object[] values = new Object[params.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = javaClass(params.get(i));
            values[i] = convert(eval(args.get(i)), params.get(i));
        }
        try {
            Method m;
            try {
                m = Class.forName(owner).getMethod(name, types);
            } catch (NoSuchMethodException ex) {
                // Math.round of an integer is round(float), registered under the argument's type
                if (!name.equals("round")) {
                    throw ex;
                }
                m = Class.forName(owner).getMethod(name, float.class);
                values[0] = ((Number) values[0]).floatValue();
            }
            return m.invoke(null, values);
        } catch (InvocationTargetException ex) {
            throw new Thrown(ex.getCause().toString());
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Class<?> javaClass(Ty t) {
        return switch (t) {
            case DOUBLE -> double.class;
            case INT -> int.class;
            case LONG -> long.class;
            case BOOLEAN -> boolean.class;
            case DOUBLE_ARRAY -> double[].class;
            case DOUBLE_MATRIX -> double[][].class;
            case INT_ARRAY -> int[].class;
            case TENSOR3 -> double[][][].class;
        };
    }

    private static boolean compare(Expr.BinOp op, Ty t, Object l, Object r) {
        int c;
        if (t == Ty.DOUBLE) {
            double a = ((Number) l).doubleValue();
            double b = ((Number) r).doubleValue();
            return switch (op) {
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
                case EQ -> a == b;
                case NE -> a != b;
                default -> throw new IllegalStateException(op.symbol);
            };
        }
        c = Long.compare(((Number) l).longValue(), ((Number) r).longValue());
        return switch (op) {
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
            case EQ -> c == 0;
            case NE -> c != 0;
            default -> throw new IllegalStateException(op.symbol);
        };
    }

    private static Object arithmetic(Expr.BinOp op, Ty t, Object l, Object r) {
        if (t == Ty.BOOLEAN) {
            boolean a = (Boolean) l;
            boolean b = (Boolean) r;
            return switch (op) {
                case BITAND -> a & b;
                case BITOR -> a | b;
                case XOR -> a ^ b;
                default -> throw new IllegalStateException(op.symbol);
            };
        }
        if (t == Ty.DOUBLE) {
            double a = ((Number) l).doubleValue();
            double b = ((Number) r).doubleValue();
            return switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case REM -> a % b;
                default -> throw new IllegalStateException(op.symbol);
            };
        }
        long a = ((Number) l).longValue();
        long b = ((Number) r).longValue();
        int shift = (int) b;
        long v = switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case REM -> a % b;
            case BITAND -> a & b;
            case BITOR -> a | b;
            case XOR -> a ^ b;
            case SHL -> t == Ty.LONG ? a << shift : (int) a << shift;
            case SHR -> t == Ty.LONG ? a >> shift : (int) a >> shift;
            case USHR -> t == Ty.LONG ? a >>> shift : (int) a >>> shift;
            default -> throw new IllegalStateException(op.symbol);
        };
        return convert(v, t);
    }

    /** @return {@code v} as a value of type {@code t} (Java's widening and casting conversions) */
    static Object convert(Object v, Ty t) {
        if (v == null || !(v instanceof Number n)) {
            return v;
        }
        return switch (t) {
            case DOUBLE -> n.doubleValue();
            case INT -> n instanceof Double || n instanceof Float ? (int) n.doubleValue() : n.intValue();
            case LONG -> n instanceof Double || n instanceof Float ? (long) n.doubleValue() : n.longValue();
            default -> v;
        };
    }
}
