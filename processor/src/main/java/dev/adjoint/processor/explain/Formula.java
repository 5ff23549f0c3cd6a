package dev.adjoint.processor.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * A formula of the explanation: what a derivative is in the paper's notation, in terms of the method's inputs and
 * its intermediate variables. A small tree of its own, not the IR: it has powers, and it is never run, only
 * normalised ({@link Algebra}) and printed.
 */
public sealed interface Formula {
    /** A number. */
    record Num(double value) implements Formula {}

    /** An input (a parameter) or an intermediate variable, by its name in the explanation. */
    record Name(String name) implements Formula {}

    /** A function applied to its arguments: {@code sin(x)}, {@code max(0, z)}. */
    record Apply(String fn, List<Formula> args) implements Formula {
        public Apply {
            args = List.copyOf(args);
        }
    }

    /** Terms added. */
    record Sum(List<Formula> terms) implements Formula {
        public Sum {
            terms = List.copyOf(terms);
        }
    }

    /** A coefficient times factors. */
    record Product(double coefficient, List<Formula> factors) implements Formula {
        public Product {
            factors = List.copyOf(factors);
        }
    }

    /** A base to an integer power; a negative power is a quotient. */
    record Power(Formula base, int exponent) implements Formula {}

    /** A row vector: the transpose of a column vector ({@code xᵀ}, numerator layout). */
    record Transpose(Formula vector) implements Formula {}

    /** The dot product of two vectors ({@code w·x}). */
    record Dot(Formula left, Formula right) implements Formula {}

    /** A comparison, the test of {@link Cases}: {@code z > 0}. */
    record Compare(String op, Formula left, Formula right) implements Formula {}

    /** One value where the test holds and another where it does not: a derivative at a kink. */
    record Cases(Formula test, Formula then, Formula otherwise) implements Formula {}

    /** A sum over the trips of a loop, by its index: {@code Σᵢ eᵢ²}. */
    record SumOver(String index, Formula body) implements Formula {}

    /** @return the formula in the paper's plain notation: {@code 2·x·cos(x²)}, {@code 1 + 2·x} */
    static String text(Formula f) {
        if (f instanceof Num n) {
            return number(n.value());
        } else if (f instanceof Name n) {
            return n.name();
        } else if (f instanceof Apply a) {
            List<String> args = new ArrayList<>();
            a.args().forEach(x -> args.add(text(x)));
            return a.fn() + "(" + String.join(", ", args) + ")";
        } else if (f instanceof Sum s) {
            StringBuilder b = new StringBuilder();
            for (Formula t : s.terms()) {
                String term = text(t);
                if (b.length() == 0) {
                    b.append(term);
                } else if (term.startsWith("−")) {
                    b.append(" − ").append(term.substring(1));
                } else {
                    b.append(" + ").append(term);
                }
            }
            return b.toString();
        } else if (f instanceof Product p) {
            List<String> parts = new ArrayList<>();
            List<String> below = new ArrayList<>();
            for (Formula x : p.factors()) {
                if (x instanceof Power pw && pw.exponent() < 0) {
                    Formula base = pw.exponent() == -1 ? pw.base() : new Power(pw.base(), -pw.exponent());
                    below.add(base instanceof Sum || base instanceof Product ? "(" + text(base) + ")" : text(base));
                } else {
                    parts.add(x instanceof Sum || x instanceof Cases ? "(" + text(x) + ")" : text(x));
                }
            }
            if (!below.isEmpty()) {
                // a/(b·c), never a/b·c, which reads as (a/b)·c
                String over = "/" + (below.size() == 1 ? below.get(0) : "(" + String.join("·", below) + ")");
                String top = text(new Product(p.coefficient(), parts.isEmpty() ? List.of() : p.factors().stream()
                        .filter(x -> !(x instanceof Power pw && pw.exponent() < 0)).toList()));
                return top + over;
            }
            String factors = String.join("·", parts);
            if (p.coefficient() == 1) {
                return factors.isEmpty() ? "1" : factors;
            } else if (p.coefficient() == -1) {
                return "−" + (factors.isEmpty() ? "1" : factors);
            }
            return number(p.coefficient()) + (factors.isEmpty() ? "" : "·" + factors);
        } else if (f instanceof Power p && p.exponent() < 0) {
            Formula base = p.exponent() == -1 ? p.base() : new Power(p.base(), -p.exponent());
            return "1/" + (base instanceof Sum || base instanceof Product ? "(" + text(base) + ")" : text(base));
        } else if (f instanceof Power p) {
            String base = p.base() instanceof Name || p.base() instanceof Apply || p.base() instanceof Num
                    ? text(p.base()) : "(" + text(p.base()) + ")";
            return base + superscript(p.exponent());
        } else if (f instanceof Transpose t) {
            return (t.vector() instanceof Name ? text(t.vector()) : "(" + text(t.vector()) + ")") + "ᵀ";
        } else if (f instanceof Dot d) {
            return text(d.left()) + "·" + text(d.right());
        } else if (f instanceof Compare c) {
            return text(c.left()) + " " + c.op() + " " + text(c.right());
        } else if (f instanceof Cases c) {
            return text(c.then()) + " if " + text(c.test()) + "; " + text(c.otherwise()) + " otherwise";
        } else if (f instanceof SumOver s) {
            String body = text(s.body());
            return "Σ" + subscript(s.index()) + (s.body() instanceof Name || s.body() instanceof Apply
                    || s.body() instanceof Power ? body : "(" + body + ")");
        }
        throw new IllegalStateException("unhandled formula " + f);
    }

    private static String number(double v) {
        String sign = v < 0 ? "−" : "";
        double a = Math.abs(v);
        if (a == Math.rint(a) && a < 1e15) {
            return sign + (long) a;
        }
        return sign + Double.toString(a);
    }

    private static String subscript(String index) {
        return index.equals("i") ? "ᵢ" : index.equals("j") ? "ⱼ" : "_" + index;
    }

    private static String superscript(int n) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder b = new StringBuilder();
        for (char c : Integer.toString(n).toCharArray()) {
            b.append(c == '-' ? '⁻' : digits.charAt(c - '0'));
        }
        return b.toString();
    }
}
