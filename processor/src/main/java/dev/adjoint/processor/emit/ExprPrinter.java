package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints IR expressions as Java source with as few parentheses as Java's precedence allows (never reassociating:
 * floating-point arithmetic is not associative, so {@code a - (b - c)} and {@code a + (b + c)} keep theirs).
 */
public final class ExprPrinter {
    private final String generatedPackage;
    private final Set<String> generatedTypeNames;
    private final Set<String> userNames;
    private final Function<Expr, String> override;
    private final Map<Sym, String> renamed;

    /**
     * @param generatedPackage    the package the generated class lives in ("" for the default package)
     * @param generatedTypeNames  simple names that do not denote the user's classes in the generated file: the
     *                            generated class's own types and imports, and classes of the user's package that
     *                            shadow {@code java.lang}'s (so {@code Math} is written {@code java.lang.Math})
     * @param userNames           the user's variable names, which obscure type names of the same spelling
     * @param override            prints a node itself (e.g. as a temporary's name), or returns null
     */
    public ExprPrinter(String generatedPackage, Set<String> generatedTypeNames, Set<String> userNames,
            Function<Expr, String> override) {
        this(generatedPackage, generatedTypeNames, userNames, override, new java.util.HashMap<>());
    }

    private ExprPrinter(String generatedPackage, Set<String> generatedTypeNames, Set<String> userNames,
            Function<Expr, String> override, Map<Sym, String> renamed) {
        this.generatedPackage = generatedPackage;
        this.generatedTypeNames = generatedTypeNames;
        this.userNames = userNames;
        this.override = override;
        this.renamed = renamed;
    }

    /** @return a printer that prints the same way, with another override */
    public ExprPrinter with(Function<Expr, String> newOverride) {
        return new ExprPrinter(generatedPackage, generatedTypeNames, userNames, newOverride, renamed);
    }

    /** @return how generated code names {@code java.lang.Math}: {@code Math} unless something shadows it */
    public String math() {
        return owner("java.lang.Math");
    }

    /**
     * Gives a variable another name in generated code. Used for a nested block's local that has the name of a
     * top-level local declared after the block: legal in the user's method, but the reverse sweep re-declares the
     * block's locals where the top-level one is in scope.
     */
    public void rename(Sym s, String name) {
        renamed.put(s, name);
    }

    /** @return the variable's name in generated code */
    public String name(Sym s) {
        return renamed.getOrDefault(s, s.name());
    }

    /** @return {@code e} as Java source */
    public String print(Expr e) {
        return print(e, 0);
    }

    /** @return {@code e} as Java source, parenthesised unless it is atomic (a name, call, element or literal) */
    public String operand(Expr e) {
        String s = print(e);
        return isAtomic(e, s) ? s : "(" + s + ")";
    }

    /** @return whether printed text needs no parentheses as an operand of any operator */
    public static boolean isAtomicText(String s) {
        return s.matches("[A-Za-z_$][A-Za-z_$0-9.]*(\\[[^\\[\\]]*\\])*") || s.matches("[0-9][0-9.eE_xXLlDdFf]*");
    }

    private boolean isAtomic(Expr e, String s) {
        return isAtomicText(s) || (override.apply(e) == null && precedence(e) >= 15 && !s.startsWith("-"));
    }

    private String print(Expr e, int context) {
        String o = override.apply(e);
        if (o != null) {
            return o;
        }
        String s = raw(e);
        return precedence(e) < context ? "(" + s + ")" : s;
    }

    private String raw(Expr e) {
        if (e instanceof Expr.Lit l) {
            return l.text();
        } else if (e instanceof Expr.Var v) {
            return name(v.sym());
        } else if (e instanceof Expr.StaticField f) {
            return owner(f.owner()) + "." + f.name();
        } else if (e instanceof Expr.ArrayLoad a) {
            return print(a.array(), 15) + "[" + print(a.index()) + "]";
        } else if (e instanceof Expr.Length l) {
            return print(l.array(), 15) + ".length";
        } else if (e instanceof Expr.Unary u) {
            String inner = print(u.operand(), 14);
            if ((u.op() == Expr.UnOp.NEG || u.op() == Expr.UnOp.PLUS) && (inner.startsWith("-") || inner.startsWith("+"))) {
                inner = "(" + inner + ")";
            }
            return u.op().symbol + inner;
        } else if (e instanceof Expr.Binary b) {
            int p = precedence(b);
            return print(b.left(), p) + " " + b.op().symbol + " " + print(b.right(), p + 1);
        } else if (e instanceof Expr.Cond c) {
            return print(c.cond(), 3) + " ? " + print(c.then(), 3) + " : " + print(c.otherwise(), 2);
        } else if (e instanceof Expr.Cast c) {
            return "(" + c.type().java() + ") " + print(c.operand(), 14);
        } else if (e instanceof Expr.MathCall m) {
            return owner(m.owner()) + "." + m.fn() + "(" + args(m.args()) + ")";
        } else if (e instanceof Expr.Call c) {
            return owner(c.owner()) + "." + c.name() + "(" + args(c.args()) + ")";
        } else if (e instanceof Expr.NewArray n) {
            StringBuilder sb = new StringBuilder("new ").append(n.type() == Ty.INT_ARRAY ? "int" : "double");
            for (Expr d : n.dims()) {
                sb.append('[').append(print(d)).append(']');
            }
            for (int i = n.dims().size(); i < n.type().rank(); i++) {
                sb.append("[]");
            }
            return sb.toString();
        } else if (e instanceof Expr.ArrayInit i) {
            return "new " + i.type().java() + " " + init(i);
        }
        throw new IllegalStateException("cannot print " + e.getClass().getSimpleName() + " (lowering removes it)");
    }

    private String init(Expr.ArrayInit i) {
        StringBuilder sb = new StringBuilder("{");
        for (int k = 0; k < i.elements().size(); k++) {
            if (k > 0) {
                sb.append(", ");
            }
            Expr el = i.elements().get(k);
            sb.append(el instanceof Expr.ArrayInit inner ? init(inner) : print(el));
        }
        return sb.append('}').toString();
    }

    private String args(List<Expr> args) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < args.size(); k++) {
            if (k > 0) {
                sb.append(", ");
            }
            sb.append(print(args.get(k)));
        }
        return sb.toString();
    }

    /**
     * How generated code names a class the user's code refers to: its simple name (or nested path) where that
     * resolves to it in the generated file, else its canonical name.
     */
    public String owner(String canonical) {
        String local = null;
        if (canonical.startsWith("java.lang.") && canonical.indexOf('.', "java.lang.".length()) < 0) {
            local = canonical.substring("java.lang.".length());
        } else {
            String pkgPrefix = generatedPackage.isEmpty() ? "" : generatedPackage + ".";
            if (canonical.startsWith(pkgPrefix) && Character.isUpperCase(canonical.charAt(pkgPrefix.length()))) {
                local = canonical.substring(pkgPrefix.length());
            }
        }
        if (local == null) {
            return canonical;
        }
        String top = local.contains(".") ? local.substring(0, local.indexOf('.')) : local;
        return generatedTypeNames.contains(top) || userNames.contains(top) ? canonical : local;
    }

    /** Java's operator precedence, higher binds tighter; 15 for primaries. */
    static int precedence(Expr e) {
        if (e instanceof Expr.Binary b) {
            return binaryPrecedence(b.op());
        } else if (e instanceof Expr.Unary || e instanceof Expr.Cast) {
            return 14;
        } else if (e instanceof Expr.Cond) {
            return 2;
        } else if (e instanceof Expr.Lit l) {
            return l.text().startsWith("-") ? 14 : 15;
        }
        return 15;
    }

    static int binaryPrecedence(BinOp op) {
        return switch (op) {
            case MUL, DIV, REM -> 12;
            case ADD, SUB -> 11;
            case SHL, SHR, USHR -> 10;
            case LT, LE, GT, GE -> 9;
            case EQ, NE -> 8;
            case BITAND -> 7;
            case XOR -> 6;
            case BITOR -> 5;
            case AND -> 4;
            case OR -> 3;
        };
    }

}
