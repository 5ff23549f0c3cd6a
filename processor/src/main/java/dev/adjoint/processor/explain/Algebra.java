package dev.adjoint.processor.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The explanation's small simplifier: a formula to a normal form, the way the paper writes its results. Constants
 * fold ({@code 2·3 = 6}, {@code sin(0)} is left as it is: only arithmetic folds); {@code 1}s and {@code 0}s of
 * sums and products go; like factors collect into powers ({@code x·x = x²}, {@code x/x = 1}); like terms collect
 * ({@code x + x = 2·x}); a constant multiplies into a sum's terms ({@code 2·(x + 1) = 2·x + 2}), while a product of
 * a sum with anything else keeps the sum as one factor ({@code cos(x + x²)·(1 + 2·x)}, as the paper leaves it).
 *
 * <p>Order: a sum's constant term first, then its terms by degree and then by name ({@code 1 + 2·x}); a product's
 * coefficient first, then its variables by name, then functions, then sums ({@code 6·x·y}, {@code 2·x·cos(x²)}).
 */
public final class Algebra {
    private Algebra() {}

    /** One term: a coefficient and its factors, each a base (by its printed form) to a power. */
    private record Term(double coefficient, TreeMap<String, Factor> factors) {
        String key() {
            return String.join("·", factors.keySet()) + "^" + powers();
        }

        private String powers() {
            StringBuilder b = new StringBuilder();
            factors.values().forEach(f -> b.append(f.exponent()).append(','));
            return b.toString();
        }

        int degree() {
            int d = 0;
            for (Factor f : factors.values()) {
                d += f.exponent();
            }
            return d;
        }
    }

    private record Factor(Formula base, int exponent) {}

    /** A sum of terms, by {@link Term#key}. */
    private static final class Poly {
        final Map<String, Term> terms = new LinkedHashMap<>();

        static Poly constant(double c) {
            Poly p = new Poly();
            if (c != 0) {
                p.terms.put(new Term(c, new TreeMap<>()).key(), new Term(c, new TreeMap<>()));
            }
            return p;
        }

        static Poly atom(Formula base, int exponent) {
            TreeMap<String, Factor> f = new TreeMap<>(ORDER);
            f.put(sortKey(base), new Factor(base, exponent));
            Poly p = new Poly();
            Term t = new Term(1, f);
            p.terms.put(t.key(), t);
            return p;
        }

        void add(Term t) {
            Term old = terms.get(t.key());
            double c = (old == null ? 0 : old.coefficient()) + t.coefficient();
            if (c == 0) {
                terms.remove(t.key());
            } else {
                terms.put(t.key(), new Term(c, t.factors()));
            }
        }

        boolean isConstant() {
            return terms.isEmpty() || terms.size() == 1 && terms.values().iterator().next().factors().isEmpty();
        }

        double constantValue() {
            return terms.isEmpty() ? 0 : terms.values().iterator().next().coefficient();
        }
    }

    /** Variables first, then functions, then parenthesised sums; within each, by printed form. */
    private static final Comparator<String> ORDER = Comparator.comparing((String k) -> k.charAt(0))
            .thenComparing(k -> k.substring(1));

    private static String sortKey(Formula base) {
        // a row vector last, as the paper writes (b + w·x − y)·xᵀ
        char kind = base instanceof Formula.Name ? 'a' : base instanceof Formula.Sum ? 'c'
                : base instanceof Formula.Transpose ? 'd' : 'b';
        return kind + Formula.text(base);
    }

    /**
     * @param f a formula
     * @return its normal form
     */
    public static Formula simplify(Formula f) {
        return formula(poly(f));
    }

    private static Poly poly(Formula f) {
        if (f instanceof Formula.Num n) {
            return Poly.constant(n.value());
        } else if (f instanceof Formula.Name) {
            return Poly.atom(f, 1);
        } else if (f instanceof Formula.Apply a) {
            List<Formula> args = new ArrayList<>();
            a.args().forEach(x -> args.add(simplify(x)));
            if (a.fn().equals("pow") && args.get(1) instanceof Formula.Num n && n.value() == Math.rint(n.value())
                    && Math.abs(n.value()) <= 16) {
                return power(poly(args.get(0)), (int) n.value());
            }
            return Poly.atom(new Formula.Apply(a.fn(), args), 1);
        } else if (f instanceof Formula.Sum s) {
            Poly out = new Poly();
            for (Formula t : s.terms()) {
                poly(t).terms.values().forEach(out::add);
            }
            return out;
        } else if (f instanceof Formula.Transpose t) {
            Formula v = simplify(t.vector());
            return v instanceof Formula.Num n && n.value() == 0 ? new Poly() : Poly.atom(new Formula.Transpose(v), 1);
        } else if (f instanceof Formula.Dot d) {
            return Poly.atom(new Formula.Dot(simplify(d.left()), simplify(d.right())), 1);
        } else if (f instanceof Formula.Compare c) {
            return Poly.atom(new Formula.Compare(c.op(), simplify(c.left()), simplify(c.right())), 1);
        } else if (f instanceof Formula.Cases c) {
            Formula test = simplify(c.test());
            Formula then = c.then();
            Formula otherwise = c.otherwise();
            // where z > 0 holds, max(0, z) is z; where it does not, 0
            if (test instanceof Formula.Compare cmp && cmp.op().equals(">") && cmp.right() instanceof Formula.Num n
                    && n.value() == 0) {
                then = rectified(then, cmp.left(), cmp.left());
                otherwise = rectified(otherwise, cmp.left(), new Formula.Num(0));
            }
            then = simplify(then);
            otherwise = simplify(otherwise);
            if (then.equals(otherwise)) {
                return poly(then);
            }
            // a constant factor of the one case that is not 0 comes out: 2·(a if t; 0 otherwise)
            if (otherwise instanceof Formula.Num zero && zero.value() == 0) {
                double common = commonFactor(poly(then));
                if (common != 1) {
                    return scale(Poly.atom(new Formula.Cases(test, formula(scale(poly(then), 1 / common)),
                            otherwise), 1), common);
                }
            }
            return Poly.atom(new Formula.Cases(test, then, otherwise), 1);
        } else if (f instanceof Formula.SumOver so) {
            // a constant factor of every trip's term comes out of the sum
            Formula body = simplify(so.body());
            if (body instanceof Formula.Num n && n.value() == 0) {
                return new Poly();
            }
            double c = body instanceof Formula.Product p && !p.factors().isEmpty() ? p.coefficient() : 1;
            Formula inner = c == 1 ? body : simplify(new Formula.Product(1 / c, List.of(body)));
            return scale(Poly.atom(new Formula.SumOver(so.index(), inner), 1), c);
        } else if (f instanceof Formula.Product p) {
            // a factor with cases: the product goes into each case (xᵀ if z > 0; 0 otherwise)
            for (int k = 0; k < p.factors().size(); k++) {
                if (p.factors().get(k) instanceof Formula.Cases c) {
                    List<Formula> then = new ArrayList<>(p.factors());
                    List<Formula> otherwise = new ArrayList<>(p.factors());
                    then.set(k, c.then());
                    otherwise.set(k, c.otherwise());
                    return poly(new Formula.Cases(c.test(), new Formula.Product(p.coefficient(), then),
                            new Formula.Product(p.coefficient(), otherwise)));
                }
            }
            Poly out = Poly.constant(p.coefficient());
            for (Formula x : p.factors()) {
                out = multiply(out, poly(x));
            }
            return out;
        } else if (f instanceof Formula.Power p) {
            return power(poly(p.base()), p.exponent());
        }
        throw new IllegalStateException("unhandled formula " + f);
    }

    /** @return {@code f} with {@code max(0, z)} (either order) replaced by {@code by} */
    private static Formula rectified(Formula f, Formula z, Formula by) {
        Formula zs = simplify(z);
        if (f instanceof Formula.Apply a && a.fn().equals("max") && a.args().size() == 2) {
            Formula x = simplify(a.args().get(0));
            Formula y = simplify(a.args().get(1));
            if (x instanceof Formula.Num n && n.value() == 0 && y.equals(zs)
                    || y instanceof Formula.Num m && m.value() == 0 && x.equals(zs)) {
                return by;
            }
        }
        if (f instanceof Formula.Apply a) {
            List<Formula> args = new ArrayList<>();
            a.args().forEach(x -> args.add(rectified(x, z, by)));
            return new Formula.Apply(a.fn(), args);
        } else if (f instanceof Formula.Sum s) {
            List<Formula> terms = new ArrayList<>();
            s.terms().forEach(x -> terms.add(rectified(x, z, by)));
            return new Formula.Sum(terms);
        } else if (f instanceof Formula.Product p) {
            List<Formula> factors = new ArrayList<>();
            p.factors().forEach(x -> factors.add(rectified(x, z, by)));
            return new Formula.Product(p.coefficient(), factors);
        } else if (f instanceof Formula.Power p) {
            return new Formula.Power(rectified(p.base(), z, by), p.exponent());
        }
        return f;
    }

    private static Poly multiply(Poly a, Poly b) {
        if (a.terms.isEmpty() || b.terms.isEmpty()) {
            return new Poly();
        }
        if (a.isConstant()) {
            return scale(b, a.constantValue());
        }
        if (b.isConstant()) {
            return scale(a, b.constantValue());
        }
        // a sum times a product of variables is multiplied out ((x − 1)·y⁻¹ = x·y⁻¹ − y⁻¹), so that like terms can
        // meet; times anything with a function it stays one factor (cos(x + x²)·(1 + 2·x))
        if (a.terms.size() > 1 && variablesOnly(b)) {
            return distribute(a, b.terms.values().iterator().next());
        }
        if (b.terms.size() > 1 && variablesOnly(a)) {
            return distribute(b, a.terms.values().iterator().next());
        }
        Term x = a.terms.size() == 1 ? a.terms.values().iterator().next() : asFactor(a);
        Term y = b.terms.size() == 1 ? b.terms.values().iterator().next() : asFactor(b);
        TreeMap<String, Factor> factors = new TreeMap<>(ORDER);
        factors.putAll(x.factors());
        for (Map.Entry<String, Factor> e : y.factors().entrySet()) {
            Factor old = factors.get(e.getKey());
            int exponent = (old == null ? 0 : old.exponent()) + e.getValue().exponent();
            if (exponent == 0) {
                factors.remove(e.getKey());
            } else {
                factors.put(e.getKey(), new Factor(e.getValue().base(), exponent));
            }
        }
        Poly out = new Poly();
        out.add(new Term(x.coefficient() * y.coefficient(), factors));
        return out;
    }

    private static boolean variablesOnly(Poly p) {
        if (p.terms.size() != 1) {
            return false;
        }
        for (Factor f : p.terms.values().iterator().next().factors().values()) {
            if (!(f.base() instanceof Formula.Name)) {
                return false;
            }
        }
        return true;
    }

    private static Poly distribute(Poly sum, Term monomial) {
        Poly out = new Poly();
        Poly m = new Poly();
        m.add(monomial);
        for (Term t : sum.terms.values()) {
            Poly one = new Poly();
            one.add(t);
            multiply(one, m).terms.values().forEach(out::add);
        }
        return out;
    }

    /** A sum as one factor of a product ({@code cos(x + x²)·(1 + 2·x)}). */
    /**
     * @return the common factor of a sum's coefficients, with the sign that makes its first term positive
     *     ({@code −2·y + 2·b = 2·(b − y)}, {@code −b − w·x + y = −(b + w·x − y)}); 1 if none
     */
    private static double commonFactor(Poly sum) {
        double common = 0;
        for (Term t : sum.terms.values()) {
            double c = Math.abs(t.coefficient());
            common = common == 0 ? c : gcd(common, c);
        }
        List<Term> sorted = new ArrayList<>(sum.terms.values());
        sorted.sort(Comparator.comparingInt(Term::degree).thenComparing(Algebra::termText));
        if (common == 0 || common != Math.rint(common)) {
            common = 1;
        }
        if (!sorted.isEmpty() && sorted.get(0).coefficient() < 0) {
            common = -common;
        }
        return common;
    }

    private static Term asFactor(Poly sum) {
        double common = commonFactor(sum);
        Formula base = formula(scale(sum, 1 / common));
        TreeMap<String, Factor> f = new TreeMap<>(ORDER);
        f.put(sortKey(base), new Factor(base, 1));
        return new Term(common, f);
    }

    private static double gcd(double a, double b) {
        if (a != Math.rint(a) || b != Math.rint(b) || a > 1e9 || b > 1e9) {
            return 1;
        }
        long x = (long) a;
        long y = (long) b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    private static Poly scale(Poly p, double c) {
        Poly out = new Poly();
        if (c == 0) {
            return out;
        }
        for (Term t : p.terms.values()) {
            out.add(new Term(t.coefficient() * c, t.factors()));
        }
        return out;
    }

    private static Poly power(Poly base, int n) {
        if (n == 0) {
            return Poly.constant(1);
        }
        if (base.isConstant()) {
            return Poly.constant(Math.pow(base.constantValue(), n));
        }
        if (base.terms.size() == 1) {
            Term t = base.terms.values().iterator().next();
            TreeMap<String, Factor> factors = new TreeMap<>(ORDER);
            t.factors().forEach((k, f) -> factors.put(k, new Factor(f.base(), f.exponent() * n)));
            Poly out = new Poly();
            out.add(new Term(Math.pow(t.coefficient(), n), factors));
            return out;
        }
        Formula sum = formula(base);
        return Poly.atom(sum, n);
    }

    private static Formula formula(Poly p) {
        List<Term> terms = new ArrayList<>(p.terms.values());
        terms.sort(Comparator.comparingInt(Term::degree).thenComparing(Algebra::termText));
        List<Formula> out = new ArrayList<>();
        for (Term t : terms) {
            out.add(term(t));
        }
        if (out.isEmpty()) {
            return new Formula.Num(0);
        }
        return out.size() == 1 ? out.get(0) : new Formula.Sum(out);
    }

    private static String termText(Term t) {
        return Formula.text(term(new Term(1, t.factors())));
    }

    private static Formula term(Term t) {
        List<Formula> factors = new ArrayList<>();
        for (Factor f : t.factors().values()) {
            factors.add(f.exponent() == 1 ? f.base() : new Formula.Power(f.base(), f.exponent()));
        }
        if (factors.isEmpty()) {
            return new Formula.Num(t.coefficient());
        }
        if (t.coefficient() == 1 && factors.size() == 1) {
            return factors.get(0);
        }
        return new Formula.Product(t.coefficient(), factors);
    }
}
