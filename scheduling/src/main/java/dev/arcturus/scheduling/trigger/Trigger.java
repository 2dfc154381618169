package dev.arcturus.scheduling.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run-gating expression, parsed and type-checked when the job is scheduled, evaluated on the node at fire time.
 *
 * <pre>
 * or      := and ('||' and)*
 * and     := not ('&amp;&amp;' not)*
 * not     := '!' not | compare
 * compare := sum (('&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=') sum)?
 * sum     := product (('+' | '-') product)*
 * product := unary (('*' | '/') unary)*
 * unary   := '-' unary | atom
 * atom    := number | 'true' | 'false' | name | 'abs' '(' or ')' | '(' or ')'
 * </pre>
 *
 * Numbers are decimals ({@code 0.5}, {@code 12}); negation works (LEOScope dropped it); the whole expression must be
 * boolean; unknown names, type errors and trailing input are rejected with their column. Unlike LEOScope, validation
 * does not evaluate, so {@code x / (a - b)} is accepted; a division by zero at fire time makes the run SKIPPED with
 * that reason.
 */
public final class Trigger {
    private final String text;
    private final Node root;

    private Trigger(final String text, final Node root) {
        this.text = text;
        this.root = root;
    }

    public static Trigger compile(final String text) throws InvalidTriggerException {
        final Parser parser = new Parser(text);
        final Node root = parser.or();
        parser.expectEnd();
        if (root.type() != Type.BOOLEAN) {
            throw new InvalidTriggerException("must be a condition (true or false), but is a number");
        }
        return new Trigger(text, root);
    }

    /** The variables the trigger reads (for telemetry collection and the SKIPPED record). */
    public List<String> variables() {
        final List<String> names = new ArrayList<>();
        root.collect(names);
        return names;
    }

    /** Evaluates with the node's current values; a missing value or a division by zero is an error. */
    public boolean evaluate(final Map<String, Double> values) throws TriggerEvaluationException {
        return root.evaluate(values) != 0;
    }

    public String text() {
        return text;
    }

    /** The values the trigger read, for the run record. */
    public Map<String, Double> seen(final Map<String, Double> values) {
        final Map<String, Double> seen = new TreeMap<>();
        for (final String name : variables()) {
            if (values.containsKey(name)) {
                seen.put(name, values.get(name));
            }
        }
        return seen;
    }

    /** Fire-time failure of a valid trigger. */
    public static final class TriggerEvaluationException extends Exception {
        private static final long serialVersionUID = 1L;

        public TriggerEvaluationException(final String message) {
            super(message);
        }
    }

    enum Type { NUMBER, BOOLEAN }

    /** Booleans evaluate to 1 or 0. */
    private interface Node {
        Type type();

        double evaluate(Map<String, Double> values) throws TriggerEvaluationException;

        void collect(List<String> names);
    }

    private record Constant(double value, Type type) implements Node {
        @Override
        public double evaluate(final Map<String, Double> values) {
            return value;
        }

        @Override
        public void collect(final List<String> names) {
        }
    }

    private record Variable(String name) implements Node {
        @Override
        public Type type() {
            return Type.NUMBER;
        }

        @Override
        public double evaluate(final Map<String, Double> values) throws TriggerEvaluationException {
            final Double value = values.get(name);
            if (value == null) {
                throw new TriggerEvaluationException("no value for " + name + " on this node");
            }
            return value;
        }

        @Override
        public void collect(final List<String> names) {
            if (!names.contains(name)) {
                names.add(name);
            }
        }
    }

    private record Operation(String operator, Node left, Node right, Type type) implements Node {
        @Override
        public double evaluate(final Map<String, Double> values) throws TriggerEvaluationException {
            final double a = left.evaluate(values);
            if (operator.equals("&&") && a == 0) {
                return 0;
            }
            if (operator.equals("||") && a != 0) {
                return 1;
            }
            final double b = right == null ? 0 : right.evaluate(values);
            return switch (operator) {
                case "neg" -> -a;
                case "abs" -> Math.abs(a);
                case "!" -> a == 0 ? 1 : 0;
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> {
                    if (b == 0) {
                        throw new TriggerEvaluationException("division by zero");
                    }
                    yield a / b;
                }
                case "<" -> a < b ? 1 : 0;
                case "<=" -> a <= b ? 1 : 0;
                case ">" -> a > b ? 1 : 0;
                case ">=" -> a >= b ? 1 : 0;
                case "==" -> a == b ? 1 : 0;
                case "!=" -> a != b ? 1 : 0;
                case "&&", "||" -> b != 0 ? 1 : 0;
                default -> throw new IllegalStateException("operator " + operator);
            };
        }

        @Override
        public void collect(final List<String> names) {
            left.collect(names);
            if (right != null) {
                right.collect(names);
            }
        }
    }

    /** Recursive descent over the text, one method per grammar rule, checking types as it builds. */
    private static final class Parser {
        private final String text;
        private int pos;

        Parser(final String text) {
            this.text = text == null ? "" : text;
        }

        Node or() throws InvalidTriggerException {
            Node left = and();
            while (accept("||")) {
                left = logical("||", left, and());
            }
            return left;
        }

        private Node and() throws InvalidTriggerException {
            Node left = not();
            while (accept("&&")) {
                left = logical("&&", left, not());
            }
            return left;
        }

        private Node not() throws InvalidTriggerException {
            final int at = column();
            if (peek("!") && !peek("!=")) {
                pos++;
                final Node operand = not();
                require(operand, Type.BOOLEAN, "!", at);
                return new Operation("!", operand, null, Type.BOOLEAN);
            }
            return compare();
        }

        private Node compare() throws InvalidTriggerException {
            final Node left = sum();
            for (final String op : List.of("<=", ">=", "==", "!=", "<", ">")) {
                final int at = column();
                if (accept(op)) {
                    final Node right = sum();
                    if (op.equals("==") || op.equals("!=")) {
                        if (left.type() != right.type()) {
                            throw new InvalidTriggerException("'" + op + "' at column " + at + " compares a "
                                    + name(left.type()) + " with a " + name(right.type()));
                        }
                    } else {
                        require(left, Type.NUMBER, op, at);
                        require(right, Type.NUMBER, op, at);
                    }
                    return new Operation(op, left, right, Type.BOOLEAN);
                }
            }
            return left;
        }

        private Node sum() throws InvalidTriggerException {
            Node left = product();
            while (true) {
                final int at = column();
                final String op = accept("+") ? "+" : accept("-") ? "-" : null;
                if (op == null) {
                    return left;
                }
                left = arithmetic(op, left, product(), at);
            }
        }

        private Node product() throws InvalidTriggerException {
            Node left = unary();
            while (true) {
                final int at = column();
                final String op = accept("*") ? "*" : accept("/") ? "/" : null;
                if (op == null) {
                    return left;
                }
                left = arithmetic(op, left, unary(), at);
            }
        }

        private Node unary() throws InvalidTriggerException {
            final int at = column();
            if (accept("-")) {
                final Node operand = unary();
                require(operand, Type.NUMBER, "-", at);
                return new Operation("neg", operand, null, Type.NUMBER);
            }
            return atom();
        }

        private Node atom() throws InvalidTriggerException {
            skipSpaces();
            final int at = column();
            if (pos >= text.length()) {
                throw new InvalidTriggerException("unexpected end of the expression at column " + at);
            }
            final char c = text.charAt(pos);
            if (accept("(")) {
                final Node inner = or();
                expect(")");
                return inner;
            }
            if (Character.isDigit(c) || c == '.') {
                return number(at);
            }
            if (Character.isLetter(c) || c == '_') {
                final String word = word();
                switch (word) {
                    case "true":
                        return new Constant(1, Type.BOOLEAN);
                    case "false":
                        return new Constant(0, Type.BOOLEAN);
                    case "abs":
                        expect("(");
                        final Node inner = or();
                        expect(")");
                        require(inner, Type.NUMBER, "abs()", at);
                        return new Operation("abs", inner, null, Type.NUMBER);
                    default:
                        if (!TriggerVariables.isKnown(word)) {
                            throw new InvalidTriggerException("unknown variable '" + word + "' at column " + at);
                        }
                        return new Variable(word);
                }
            }
            throw new InvalidTriggerException("unexpected '" + c + "' at column " + at);
        }

        private Node number(final int at) throws InvalidTriggerException {
            final int start = pos;
            while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            try {
                return new Constant(Double.parseDouble(text.substring(start, pos)), Type.NUMBER);
            } catch (final NumberFormatException e) {
                throw new InvalidTriggerException("bad number '" + text.substring(start, pos) + "' at column " + at);
            }
        }

        private String word() {
            final int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            return text.substring(start, pos);
        }

        private Node logical(final String op, final Node left, final Node right) throws InvalidTriggerException {
            require(left, Type.BOOLEAN, op, column());
            require(right, Type.BOOLEAN, op, column());
            return new Operation(op, left, right, Type.BOOLEAN);
        }

        private Node arithmetic(final String op, final Node left, final Node right, final int at)
                throws InvalidTriggerException {
            require(left, Type.NUMBER, op, at);
            require(right, Type.NUMBER, op, at);
            return new Operation(op, left, right, Type.NUMBER);
        }

        private static void require(final Node node, final Type type, final String op, final int at)
                throws InvalidTriggerException {
            if (node.type() != type) {
                throw new InvalidTriggerException("'" + op + "' at column " + at + " needs a " + name(type)
                        + ", got a " + name(node.type()));
            }
        }

        private static String name(final Type type) {
            return type == Type.NUMBER ? "number" : "condition";
        }

        void expectEnd() throws InvalidTriggerException {
            skipSpaces();
            if (pos < text.length()) {
                throw new InvalidTriggerException("unexpected '" + text.charAt(pos) + "' at column " + column());
            }
        }

        private void expect(final String token) throws InvalidTriggerException {
            if (!accept(token)) {
                throw new InvalidTriggerException("expected '" + token + "' at column " + column());
            }
        }

        private boolean accept(final String token) {
            if (peek(token)) {
                pos += token.length();
                return true;
            }
            return false;
        }

        private boolean peek(final String token) {
            skipSpaces();
            return text.startsWith(token, pos);
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private int column() {
            skipSpaces();
            return pos + 1;
        }
    }
}
