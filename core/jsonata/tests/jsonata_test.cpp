// Behaviour tests for core/jsonata. The official suite (tests/conformance/jsonata) covers the
// language broadly; these pin down what it does not: output formatting, error positions,
// hostile inputs, limits and concurrent use of one Expression.
#include "hotpath/jsonata.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "hotpath/json.h"

namespace {

using hotpath::jsonata::Bindings;
using hotpath::jsonata::Error;
using hotpath::jsonata::Expression;
using hotpath::jsonata::Limits;
namespace json = hotpath::json;

// Evaluates `expr` over `input` (JSON text, or nullptr for no input). Returns the JSON result,
// "undefined", or "CODE@position" for an error.
std::string run(const char* expr, const char* input = nullptr, const Limits& limits = {},
                const Bindings* bindings = nullptr) {
  auto e = Expression::compile(expr);
  if (!e) return e.error().code + "@" + std::to_string(e.error().position);
  json::Document doc;
  const json::Value* in = nullptr;
  if (input) {
    auto p = doc.parse(input);
    if (!p) return "bad input";
    in = p.value();
  }
  std::string out;
  auto r = e->evaluate(in, out, bindings, limits);
  if (!r) return r.error().code + "@" + std::to_string(r.error().position);
  return r.value() ? out : "undefined";
}

std::string code_of(const char* expr, const char* input = nullptr, const Limits& limits = {}) {
  std::string r = run(expr, input, limits);
  return r.substr(0, r.find('@'));
}

TEST(JsonataPaths, NavigateFlattenAndCollapseSingletons) {
  const char* doc = R"({"a":{"b":[{"c":1},{"c":[2,3]},{"d":4}]}})";
  EXPECT_EQ(run("a.b.c", doc), "[1,2,3]");
  EXPECT_EQ(run("a.b[0].c", doc), "1");
  EXPECT_EQ(run("a.b[0].c[]", doc), "[1]");
  EXPECT_EQ(run("a.b[c = 1].c", doc), "1");
  EXPECT_EQ(code_of("a.b[c > 1].c", doc), "T2010");
  EXPECT_EQ(run("a.b.d", doc), "4");
  EXPECT_EQ(run("a.x", doc), "undefined");
  EXPECT_EQ(run("**.c", doc), "[1,2,3]");
  EXPECT_EQ(run("a.b#$i[$i = 2].d", doc), "4");
  EXPECT_EQ(run("a.b@$x.$x.c", doc), "[1,2,3]");
  EXPECT_EQ(run("a.b.c.%.d", R"({"a":{"b":[{"c":1,"d":"p"}]}})"), "\"p\"");
}

TEST(JsonataPaths, StepsAfterAConstructedNonArrayFollowJsonataJs) {
  // jsonata-js iterates `input.length`: nothing for an object or number, a string's characters
  EXPECT_EQ(run("[1..5]{$string($): $}.*"), "undefined");
  EXPECT_EQ(run("[1, 2][0].$"), "undefined");
  EXPECT_EQ(run("[\"ab\", \"c\"][0].$uppercase($)"), "[\"A\",\"B\"]");
}

TEST(JsonataPaths, JsonataJsCornerCasesAreKept) {
  EXPECT_EQ(run("$$[]", "[1,2]"), "[1,2]");  // $$ is the input as given, not wrapped
  EXPECT_EQ(run("$keys($)", R"([{"b":1},{"1":2}])"), R"(["1","b"])");
  EXPECT_EQ(run("$string([0/0])"), "\"[null]\"");
  EXPECT_EQ(code_of("0/0 + 1"), "T2001");
  EXPECT_EQ(run("$round(-2, 3.5)"), "null");
  EXPECT_EQ(run("$substring(\"Hello\", nothing, 2)"), "\"\"");
  EXPECT_EQ(run("Order.%{$number(\"x\"): 1}", "{}"), "{}");  // empty tuple stream: no keys
  EXPECT_EQ(code_of("Order{$number(\"x\"): 1}", "{}"), "D3030");
  EXPECT_EQ(run("[1,2][[0,0]]"), "[1,1]");
  EXPECT_EQ(code_of("x[$uppercase(1)]", "{}"), "T0410");  // predicates run on undefined too
}

TEST(JsonataPaths, GroupByCollectsEveryItem) {
  EXPECT_EQ(run("[1..50000]{$string($ % 3): $count($)}"), R"({"0":16666,"1":16667,"2":16667})");
}

TEST(JsonataPaths, TopLevelArrayInputIsOneValue) {
  EXPECT_EQ(run("$", "[1,2,3]"), "[1,2,3]");
  EXPECT_EQ(run("$[0]", "[1,2,3]"), "1");
  EXPECT_EQ(run("$count($)", "[1,2,3]"), "3");
}

TEST(JsonataOutput, NumbersPrintAsJavaScriptDoes) {
  EXPECT_EQ(run("1e21"), "1e+21");
  EXPECT_EQ(run("1e20"), "100000000000000000000");
  EXPECT_EQ(run("0.1 + 0.2"), "0.30000000000000004");
  EXPECT_EQ(run("1e-7"), "1e-7");
  EXPECT_EQ(run("0.000001"), "0.000001");
  EXPECT_EQ(run("-0"), "0");
  EXPECT_EQ(run("0 * -1"), "0");
  EXPECT_EQ(run("123.0"), "123");
  EXPECT_EQ(run("$", "1.50"), "1.5");
  EXPECT_EQ(run("[1/3]"), "[0.3333333333333333]");
}

TEST(JsonataOutput, StringsEscapeAsJsonStringify) {
  EXPECT_EQ(run(R"("a\"b\\c\n\u0001/\u2028")"), "\"a\\\"b\\\\c\\n\\u0001/\xE2\x80\xA8\"");
}

TEST(JsonataOutput, ObjectsKeepInsertionOrderWithIndexKeysFirst) {
  EXPECT_EQ(run(R"({"b": 1, "a": 2})"), R"({"b":1,"a":2})");
  EXPECT_EQ(run("$", R"({"b":1,"2":2,"1":3})"), R"({"1":3,"2":2,"b":1})");
}

// Input objects are used as written unless a key repeats or is an array index (Ev::plain_jobj);
// duplicates keep the first position and the last value, as JSON.parse does.
TEST(JsonataOutput, InputObjectsWithDuplicateKeysReadAsJsonParseWould) {
  EXPECT_EQ(run("$", R"({"a":1,"b":2,"a":3})"), R"({"a":3,"b":2})");
  EXPECT_EQ(run("$keys($)", R"({"a":1,"b":2,"a":3})"), R"(["a","b"])");
  EXPECT_EQ(run("*", R"({"a":1,"b":2,"a":3})"), "[3,2]");
  EXPECT_EQ(run("**", R"({"x":{"a":1,"b":2,"a":3}})"),
            R"([{"x":{"a":3,"b":2}},{"a":3,"b":2},3,2])");
  // Distinct keys of the same length and end bytes: used as written, in order.
  EXPECT_EQ(run("$", R"({"axb":1,"ayb":2,"azb":3})"), R"({"axb":1,"ayb":2,"azb":3})");
  EXPECT_EQ(run("*", R"({"axb":1,"ayb":2,"azb":3})"), "[1,2,3]");
  // More than 32 members, with and without a duplicate.
  std::string many = "{", many_dup;
  for (int i = 0; i < 40; ++i)
    many += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  many_dup = many + ",\"k7\":70}";
  many += "}";
  EXPECT_EQ(run("$count(*)", many.c_str()), "40");
  EXPECT_EQ(run("$count(*)", many_dup.c_str()), "40");
  EXPECT_EQ(run("k7", many_dup.c_str()), "70");
  EXPECT_EQ(run("$keys($)[7]", many_dup.c_str()), "\"k7\"");
}

TEST(JsonataOutput, FunctionsSerializeLikeJsonStringify) {
  EXPECT_EQ(run("function($x){$x}"), "undefined");
  EXPECT_EQ(run(R"({"f": function($x){$x}, "a": 1})"), R"({"a":1})");
  EXPECT_EQ(run("[$uppercase]"), "[null]");
}

TEST(JsonataFunctions, StringUsesFifteenSignificantDigits) {
  EXPECT_EQ(run("$string(0.1 + 0.2)"), "\"0.3\"");
  EXPECT_EQ(run("$string(1/3)"), "\"0.333333333333333\"");
  EXPECT_EQ(run("$string(5890840712243076)"), "\"5890840712243076\"");
  EXPECT_EQ(run("$string(1e21)"), "\"1e+21\"");
  EXPECT_EQ(run("$string([1, {\"a\": null}, true])"), R"("[1,{\"a\":null},true]")");
  EXPECT_EQ(run("$string({\"a\": [1]}, true)"), R"("{\n  \"a\": [\n    1\n  ]\n}")");
  EXPECT_EQ(run("$string($uppercase)"), "\"\"");
  EXPECT_EQ(code_of("$string(1/0)"), "D3001");
}

TEST(JsonataFunctions, RoundIsBankers) {
  EXPECT_EQ(run("[$round(2.5), $round(3.5), $round(-2.5), $round(1.255, 2), $round(125, -1)]"),
            "[2,4,-2,1.26,120]");
}

// $string writes numbers as Number(n.toPrecision(15)): a tie at the 16th digit rounds up in
// magnitude (printf's round-half-even gave ...312), as jsonata-js does.
TEST(JsonataFunctions, StringRoundsTiesAtFifteenDigitsLikeToPrecision) {
  EXPECT_EQ(
      run("[$string(-0.09180450439453125), $string(455703.7353515625), $string(0.5), "
          "$string(1/3), $string(999999999999999.5)]"),
      R"(["-0.0918045043945313","455703.735351563","0.5","0.333333333333333","1000000000000000"])");
}

// $uppercase/$lowercase are JavaScript's toUpperCase/toLowerCase: full Unicode mappings
// (SpecialCasing: ß, ligatures, ŉ, İ), title-case digraphs, and Final_Sigma.
TEST(JsonataFunctions, CaseConversionIsFullUnicodeLikeJavaScript) {
  EXPECT_EQ(run(R"($uppercase("straße ﬁx ǅ ŉ ά ꙁ ⓐ 𐐨 ǆ"))"), R"("STRASSE FIX Ǆ ʼN Ά Ꙁ Ⓐ 𐐀 Ǆ")");
  EXPECT_EQ(run(R"($lowercase("İ ǅ Ǆ 𐐀 Ⓐ ẞ"))"), "\"i̇ ǆ ǆ 𐐨 ⓐ ß\"");
  // Σ lowers to ς at the end of a word (a cased letter before it, none after it).
  EXPECT_EQ(run(R"($lowercase("ΟΔΟΣ ΣΑΣ Σ AΣ. AΣ'Β"))"), R"("οδος σας σ aς. aσ'β")");
  EXPECT_EQ(run(R"($uppercase("plain ascii 123"))"), R"("PLAIN ASCII 123")");
}

// Strings order as in JavaScript, by UTF-16 code units: a supplementary character (a
// surrogate pair, D800..) sorts before U+E000..U+FFFF, unlike code-point (UTF-8 byte) order.
TEST(JsonataFunctions, StringsOrderByUtf16CodeUnits) {
  EXPECT_EQ(run(R"($sort(["Ａ", "😀", "z", "\uE000", "𐐀"]))"),
            "[\"z\",\"𐐀\",\"😀\",\"\xEE\x80\x80\",\"Ａ\"]");
  EXPECT_EQ(run(R"(["😀" < "Ａ", "Ａ" > "𐐀", "a" < "b", "ab" < "a", "é" > "z"])"),
            "[true,true,true,false,true]");
  EXPECT_EQ(run(R"(["Ａ", "😀", "b"]^($))"), R"(["b","😀","Ａ"])");
}

// $power with exponent 2, 1, -1 or 0.5 is one correctly rounded operation, as in V8.
TEST(JsonataFunctions, PowerOfTwoIsTheProduct) {
  EXPECT_EQ(run("[$power(160406.76832199097, 2), $power(4, 0.5), $power(8, -1), $power(3, 1)]"),
            "[25730331323.504887,2,0.125,3]");
}

// Above 2^52 every double is an integer and rounds to itself, as Math.round does: x + 0.5
// would itself round up there (a random differential run against jsonata-js found this).
TEST(JsonataFunctions, RoundLeavesIntegersAbove2To52Alone) {
  EXPECT_EQ(run("[$round(81133842468261710, -1), $round(8113384246826171), "
                "$round(-8113384246826171), $round(4503599627370497)]"),
            "[81133842468261710,8113384246826171,-8113384246826171,4503599627370497]");
}

// $round shifts the decimal point through the number's JavaScript text, as jsonata-js does:
// 1.015 at 2 places is the tie 101.5, which goes to even (1.02), where x * 100 gives
// 101.49999999999999 and 1.01. 17-digit values take the full decimal conversion. A precision
// the text cannot hold (a fraction, 1e21 and up) or a shift past the double range ends in
// NaN, which JSON writes as null.
TEST(JsonataFunctions, RoundShiftsTheDecimalTextLikeJsonataJs) {
  EXPECT_EQ(run("[$round(1.015, 2), $round(4.35, 1), $round(-4.35, 1), $round(1e-7, 7), "
                "$round(0.1 + 0.2, 16), $round(12345.6789e-20, 22), $round(-0.4), "
                "$round(123.456, -400), $round(0.30000000000000004, 17)]"),
            "[1.02,4.4,-4.4,1e-7,0.3,1.234568e-16,0,0,0.30000000000000004]");
  EXPECT_EQ(run("[$round(1.5, 400), $round(1.5, 1e21), $round(1e300, 30)]"), "[null,null,null]");
}

// Input numbers are written as JavaScript prints them. The writer copies an input number's
// text when it is already that form and converts the rest: -0, trailing zeros, 1e-7 and
// below, integers past 2^53 and texts with more than 15 significant digits.
TEST(JsonataOutput, InputNumbersPrintAsJavaScriptDoes) {
  const char* input =
      "[0.0, -0, 1.50, 0.000001, 0.0000001, 9007199254740993, -9007199254740992, "
      "123456789012345.5, 1234567890123456.7, 0.30000000000000004, 1e3, 100.25, -0.5]";
  const char* js =
      "[0,0,1.5,0.000001,1e-7,9007199254740992,-9007199254740992,123456789012345.5,"
      "1234567890123456.8,0.30000000000000004,1000,100.25,-0.5]";
  EXPECT_EQ(run("$", input), js);
  EXPECT_EQ(run("{\"a\": $}.a", input), js);  // through a constructed object as well
}

// A '-' parameter takes the context when the call leaves it no argument (a function used
// as a path step), and its type is checked (T0411); given an argument, it takes the argument.
TEST(JsonataFunctions, ContextParametersTakeTheStepValue) {
  EXPECT_EQ(run(R"(["a b", "c d"].$substringBefore(" "))"), R"(["a","c"])");
  EXPECT_EQ(run(R"(["ab", "cd"].$uppercase())"), R"(["AB","CD"])");
  EXPECT_EQ(run(R"(("ab").$substringBefore("ab c", " "))"), R"("ab")");
  EXPECT_EQ(code_of("(true).$uppercase()"), "T0411");
  EXPECT_EQ(code_of(R"(("x").$substringBefore())"), "T0410");
}

TEST(JsonataFunctions, NowAndMillisAreFixedPerEvaluation) {
  EXPECT_EQ(run("$millis() = $millis()"), "true");
  EXPECT_EQ(run("$now() = $now()"), "true");
}

TEST(JsonataErrors, ParseErrorsCarryCodeAndPosition) {
  EXPECT_EQ(run("1 +"), "S0207@3");
  EXPECT_EQ(run("(1; 2"), "S0203@5");
  EXPECT_EQ(run("{\"a\" 1}"), "S0202@6");
  EXPECT_EQ(run("\"abc"), "S0101@4");
  EXPECT_EQ(run("1 ! 2"), "S0204@3");
  EXPECT_EQ(run("a..b"), "S0201@3");
  EXPECT_EQ(run("1 = = 2"), "S0211@5");
  EXPECT_EQ(run("function($x, 1){1}"), "S0208@14");
  EXPECT_EQ(run("%.a"), "S0217@1");
  EXPECT_EQ(run("/abc"), "S0302@4");
  EXPECT_EQ(run("'a\\q'"), "S0103@3");
  EXPECT_EQ(run("/* open"), "S0106@0");
}

TEST(JsonataErrors, CompileErrorHasMessageAndToken) {
  auto e = Expression::compile("a..b");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().token, "..");
  EXPECT_EQ(e.error().message, "Syntax error: \"..\"");
  EXPECT_EQ(e.error().to_string(), "S0201 at position 3: Syntax error: \"..\"");
}

TEST(JsonataErrors, RuntimeErrorsCarryCodeTokenAndPosition) {
  EXPECT_EQ(run("\"a\" + 1"), "T2001@5");
  EXPECT_EQ(run("1 < \"a\""), "T2009@3");
  EXPECT_EQ(run("$sum(\"a\")"), "T0412@5");
  EXPECT_EQ(run("$substring(1)", "{}"), "T0411@11");
  auto e = Expression::compile("$string(1, 2, 3)");
  ASSERT_TRUE(e);
  std::string out;
  auto r = e->evaluate(nullptr, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "T0410");
  EXPECT_EQ(r.error().token, "string");
  EXPECT_EQ(r.error().message,
            "Argument 2 of function \"string\" does not match function signature");
  EXPECT_TRUE(out.empty());
}

TEST(JsonataHostile, InfiniteRecursionEndsInAnErrorWithoutLimits) {
  EXPECT_EQ(code_of("($f := function($n){ $f($n + 1) + 1 }; $f(0))"), "U1001");
}

TEST(JsonataHostile, TailRecursionRunsInConstantStack) {
  EXPECT_EQ(
      run("($f := function($n, $acc){ $n = 0 ? $acc : $f($n - 1, $acc + 1) }; $f(100000, 0))"),
      "100000");
}

TEST(JsonataHostile, DepthLimitIsEnforced) {
  Limits limits;
  limits.max_depth = 302;
  const char* fact = "($f := function($n){$n = 0 ? 1 : $n * $f($n - 1)}; $f(%d))";
  char buf[200];
  std::snprintf(buf, sizeof buf, fact, 99);
  EXPECT_EQ(run(buf, nullptr, limits), "9.33262154439441e+155");
  std::snprintf(buf, sizeof buf, fact, 100);
  EXPECT_EQ(code_of(buf, nullptr, limits), "U1001");
}

TEST(JsonataHostile, TimeoutStopsInfiniteLoops) {
  Limits limits;
  limits.timeout_ms = 50;
  EXPECT_EQ(code_of("($f := function(){ $f() }; $f())", nullptr, limits), "U1001");
}

TEST(JsonataHostile, HugeRangesAndStringsAreRefused) {
  EXPECT_EQ(code_of("[1..100000000]"), "D2014");
  EXPECT_EQ(run("$count([1..10000000])"), "10000000");
  EXPECT_EQ(code_of("[1..10000000, 1..10000000, 1..10000000, 1..10000000]"), "U1001");
  EXPECT_EQ(code_of("$reduce([1..40], function($a, $b){ $a & $a }, \"xxxxxxxx\")"), "U1001");
  EXPECT_EQ(code_of("$reduce([1..40], function($a, $b){ $append($a, $a) }, [1])"), "U1001");
  EXPECT_EQ(code_of("$pad(\"x\", 1e15)"), "U1001");
}

TEST(JsonataHostile, SharedStructureCannotExplodeTheOutput) {
  // [[$a], [$a]] doubles the leaves per step without allocating: writing, comparing or
  // navigating 2^60 leaves must be refused, not attempted.
  const char* dag = "$reduce([1..60], function($acc, $x){[[$acc], [$acc]]}, 1)";
  EXPECT_EQ(code_of(dag), "U1001");
  EXPECT_EQ(code_of((std::string("$string(") + dag + ")").c_str()), "U1001");
  EXPECT_EQ(code_of((std::string("($d := ") + dag + "; $d = $d)").c_str()), "U1001");
}

TEST(JsonataHostile, DeeplyNestedExpressionsAreRefused) {
  std::string deep(100000, '(');
  deep += "1";
  deep += std::string(100000, ')');
  auto e = Expression::compile(deep);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, "U1001");
  std::string arr(100000, '[');
  auto a = Expression::compile(arr);
  EXPECT_FALSE(a);
}

TEST(JsonataHostile, DeeplyNestedResultsDoNotOverflowTheWriter) {
  std::string r = run("$reduce([1..200000], function($a, $b){ [$a] }, [])");
  EXPECT_TRUE(r.rfind("U1001", 0) == 0 || r[0] == '[') << r.substr(0, 40);
}

TEST(JsonataApi, BindingsAreVariables) {
  json::Document doc;
  auto p = doc.parse(R"({"x": 5, "name": "n"})");
  ASSERT_TRUE(p);
  Bindings b;
  ASSERT_TRUE(b.set_all(*p.value()));
  b.set("y", *p.value()->find("x"));
  EXPECT_FALSE(b.set_all(*p.value()->find("x")));
  EXPECT_EQ(run("$x + $y & $name", nullptr, {}, &b), "\"10n\"");
}

TEST(JsonataApi, UndefinedLeavesOutputUntouched) {
  auto e = Expression::compile("nothing");
  ASSERT_TRUE(e);
  std::string out = "keep";
  auto r = e->evaluate(nullptr, out);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r.value());
  EXPECT_EQ(out, "keep");
  EXPECT_EQ(e->source(), "nothing");
}

TEST(JsonataApi, OneExpressionEvaluatesConcurrentlyFromFourThreads) {
  auto e = Expression::compile(
      "Account.Order.Product{`Product Name`: $sum(Price)} ~> $each(function($v, $k)"
      "{$k & '=' & $string($v)}) ~> $sort() ~> $join(',')");
  ASSERT_TRUE(e);
  const Expression expr = e.value();
  std::vector<std::string> inputs, expected;
  for (int t = 0; t < 4; ++t) {
    std::string doc = R"({"Account":{"Order":[{"Product":[)";
    for (int i = 0; i < 20; ++i) {
      if (i) doc += ',';
      doc += R"({"Product Name":"p)" + std::to_string(i % 5) + R"(","Price":)" +
             std::to_string(t + i) + R"(,"Quantity":2})";
    }
    doc += "]}]}}";
    inputs.push_back(doc);
    json::Document d;
    auto p = d.parse(doc);
    std::string out;
    auto r = expr.evaluate(p.value(), out);
    ASSERT_TRUE(r && r.value());
    expected.push_back(out);
  }
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      json::Document d;
      auto p = d.parse(inputs[size_t(t)]);
      for (int i = 0; i < 500; ++i) {
        std::string out;
        auto r = expr.evaluate(p.value(), out);
        if (!r || out != expected[size_t(t)]) ++mismatches[size_t(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(mismatches[size_t(t)], 0) << "thread " << t;
}

}  // namespace
