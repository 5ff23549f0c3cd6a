package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinOp;
import dev.adjoint.processor.ir.SymbolTable;
import dev.adjoint.processor.ir.Ty;
import java.util.List;
import java.util.Set;

/**
 * Prints IR expressions as Java source with as few parentheses as Java's precedence allows (never reassociating:
 * floating-point arithmetic is not associative, so {@code a - (b - c)} and {@code a + (b + c)} keep theirs).
 */
public final class ExprPrinter {
    private final String generatedPackage;
    private final Set<String> generatedTypeNames;
    private final Set<String> userNames;
    private final SymbolTable symbols;
    private final String tape;

    /**
     * @param generatedPackage   the package the generated class lives in ("" for the default package)
     * @param generatedTypeNames simple names that do not denote the user's classes in the generated file: the
     *                           generated class's own types and imports, and classes of the user's package that
     *                           shadow {@code java.lang}'s (so {@code Math} is written {@code java.lang.Math})
     * @param userNames          the user's variable names, which obscure type names of the same spelling
     * @param symbols            the method's symbols, which name its variables
     * @param tape               the name of the tape local
     */
    public ExprPrinter(String generatedPackage, Set<String> generatedTypeNames, Set<String> userNames,
            SymbolTable symbols, String tape) {
        this(generatedPackage, generatedTypeNames, userNames, symbols, tape, null);
    }

    /** @param generatedClass the generated class's simple name, which qualifies its own constants where needed */
    public ExprPrinter(String generatedPackage, Set<String> generatedTypeNames, Set<String> userNames,
            SymbolTable symbols, String tape, String generatedClass) {
        this.generatedClass = generatedClass;
        this.generatedPackage = generatedPackage;
        this.generatedTypeNames = generatedTypeNames;
        this.userNames = userNames;
        this.symbols = symbols;
        this.tape = tape;
    }

    private final String generatedClass;

    /** @return the name of the tape local */
    public String tape() {
        return tape;
    }

    /** @return the variable's name in generated code */
    public String name(dev.adjoint.processor.ir.Sym s) {
        return symbols.name(s);
    }

    /** @return {@code e} as Java source */
    public String print(Expr e) {
        return print(e, 0);
    }

    private String print(Expr e, int context) {
        String s = e.accept(raw);
        return precedence(e) < context ? "(" + s + ")" : s;
    }

    private final Expr.Visitor<String> raw = new Expr.Visitor<>() {
        @Override
        public String visitLit(Expr.Lit l) {
            return l.text();
        }

        @Override
        public String visitVar(Expr.Var v) {
            return symbols.name(v.sym());
        }

        @Override
        public String visitStaticField(Expr.StaticField f) {
            if (f.owner().equals(dev.adjoint.processor.ir.ConstantCopy.GENERATED_CLASS)) {
                // the generated class's own copy of a private constant: qualified where a user's local of the same
                // name would obscure it
                return generatedClass != null && userNames.contains(f.name()) ? generatedClass + "." + f.name()
                        : f.name();
            }
            return owner(f.owner()) + "." + f.name();
        }

        @Override
        public String visitArrayLoad(Expr.ArrayLoad a) {
            return print(a.array(), 15) + "[" + print(a.index()) + "]";
        }

        @Override
        public String visitLength(Expr.Length l) {
            return print(l.array(), 15) + ".length";
        }

        @Override
        public String visitUnary(Expr.Unary u) {
            if (u.op() == Expr.UnOp.NOT && u.operand() instanceof Expr.Binary b
                    && (b.op() == BinOp.EQ || b.op() == BinOp.NE)) {
                // !(a == b) is a != b, also for NaN: written as the flipped comparison
                BinOp flipped = b.op() == BinOp.EQ ? BinOp.NE : BinOp.EQ;
                return print(new Expr.Binary(flipped, b.left(), b.right(), b.type(), b.pos()));
            }
            String inner = print(u.operand(), 14);
            if ((u.op() == Expr.UnOp.NEG || u.op() == Expr.UnOp.PLUS)
                    && (inner.startsWith("-") || inner.startsWith("+"))) {
                inner = "(" + inner + ")";
            }
            return u.op().symbol + inner;
        }

        @Override
        public String visitBinary(Expr.Binary b) {
            int p = binaryPrecedence(b.op());
            return print(b.left(), p) + " " + b.op().symbol + " " + print(b.right(), p + 1);
        }

        @Override
        public String visitCond(Expr.Cond c) {
            return print(c.cond(), 3) + " ? " + print(c.then(), 3) + " : " + print(c.otherwise(), 2);
        }

        @Override
        public String visitCast(Expr.Cast c) {
            return "(" + c.type().java() + ") " + print(c.operand(), 14);
        }

        @Override
        public String visitMathCall(Expr.MathCall m) {
            return owner(m.owner()) + "." + m.fn() + "(" + args(m.args()) + ")";
        }

        @Override
        public String visitCall(Expr.Call c) {
            return owner(c.owner()) + "." + c.name() + "(" + args(c.args()) + ")";
        }

        @Override
        public String visitNewArray(Expr.NewArray n) {
            StringBuilder sb = new StringBuilder("new ").append(n.type() == Ty.INT_ARRAY ? "int" : "double");
            for (Expr d : n.dims()) {
                sb.append('[').append(print(d)).append(']');
            }
            for (int i = n.dims().size(); i < n.type().rank(); i++) {
                sb.append("[]");
            }
            return sb.toString();
        }

        @Override
        public String visitArrayInit(Expr.ArrayInit i) {
            return "new " + i.type().java() + " " + init(i);
        }

        @Override
        public String visitAssign(Expr.Assign a) {
            throw new IllegalStateException("an assignment inside an expression (lowering removes it)");
        }

        @Override
        public String visitIncDec(Expr.IncDec i) {
            throw new IllegalStateException("an increment inside an expression (lowering removes it)");
        }

        @Override
        public String visitHole(Expr.Hole h) {
            throw new IllegalStateException("an unfilled hole of a rule template");
        }

        @Override
        public String visitPop(Expr.Pop p) {
            String call = tape + ".pop" + CorePrinter.tapeKind(p.type()) + "()";
            return p.type().isArray() ? "(" + p.type().java() + ") " + call : call;
        }
    };

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
        return e.accept(PRECEDENCE);
    }

    private static final Expr.Visitor<Integer> PRECEDENCE = new Expr.Visitor<>() {
        @Override
        public Integer visitLit(Expr.Lit l) {
            return l.text().startsWith("-") ? 14 : 15;
        }

        @Override
        public Integer visitVar(Expr.Var e) {
            return 15;
        }

        @Override
        public Integer visitStaticField(Expr.StaticField e) {
            return 15;
        }

        @Override
        public Integer visitArrayLoad(Expr.ArrayLoad e) {
            return 15;
        }

        @Override
        public Integer visitLength(Expr.Length e) {
            return 15;
        }

        @Override
        public Integer visitUnary(Expr.Unary u) {
            return u.op() == Expr.UnOp.NOT && u.operand() instanceof Expr.Binary b
                    && (b.op() == BinOp.EQ || b.op() == BinOp.NE) ? binaryPrecedence(b.op()) : 14;
        }

        @Override
        public Integer visitBinary(Expr.Binary b) {
            return binaryPrecedence(b.op());
        }

        @Override
        public Integer visitCond(Expr.Cond e) {
            return 2;
        }

        @Override
        public Integer visitCast(Expr.Cast e) {
            return 14;
        }

        @Override
        public Integer visitMathCall(Expr.MathCall e) {
            return 15;
        }

        @Override
        public Integer visitCall(Expr.Call e) {
            return 15;
        }

        @Override
        public Integer visitNewArray(Expr.NewArray e) {
            return 15;
        }

        @Override
        public Integer visitArrayInit(Expr.ArrayInit e) {
            return 15;
        }

        @Override
        public Integer visitAssign(Expr.Assign e) {
            return 1;
        }

        @Override
        public Integer visitIncDec(Expr.IncDec e) {
            return 14;
        }

        @Override
        public Integer visitHole(Expr.Hole e) {
            return 15;
        }

        @Override
        public Integer visitPop(Expr.Pop p) {
            return p.type().isArray() ? 14 : 15;
        }
    };

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
