// `review SUGGESTION accept | reject --reason TEXT | modify --reason TEXT [--concept S|C|D] [--note TEXT]`:
// a clinician's decision. The checks (role, reason, finality) live in decision::review, so the
// GUI enforces exactly the same rules.
#include "commands.h"
#include "suggestion_json.h"

#include "consilium/decision/errors.h"
#include "consilium/decision/review.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace consilium::cli {
namespace {

using namespace consilium::decision;

// SYSTEM|CODE|DISPLAY; the display may itself contain '|', system and code may not.
Coding parse_concept(const std::string& text) {
    auto first = text.find('|');
    auto second = first == std::string::npos ? first : text.find('|', first + 1);
    if (second == std::string::npos || first == 0 || second == first + 1)
        throw UsageError("--concept '" + text + "' is not SYSTEM|CODE|DISPLAY");
    return {text.substr(0, first), text.substr(first + 1, second - first - 1), text.substr(second + 1)};
}

}  // namespace

int cmd_review(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--reason", "--reason-code", "--concept", "--note"});
    const auto id = suggestion_id(args.at(0, "the suggestion id: review SUGGESTION accept|reject|modify"));
    const auto& verb = args.at(1, "the decision: accept, reject or modify");
    if (args.positional.size() > 2) throw UsageError("review takes one suggestion and one decision");

    ReviewDecision d;
    if (verb == "accept") d.decision = ReviewStatus::accepted;
    else if (verb == "reject") d.decision = ReviewStatus::rejected;
    else if (verb == "modify") d.decision = ReviewStatus::modified;
    else throw UsageError("'" + verb + "' is not a decision: accept, reject or modify");
    d.reason_text = args.value("--reason").value_or("");
    if (auto code = args.value("--reason-code")) {
        d.reason_code = reason_code_from_string(*code);
        if (!d.reason_code)
            throw UsageError("--reason-code '" + *code +
                             "' is not clinically_incorrect, not_applicable, insufficient_evidence, already_known or other");
    }
    if (auto c = args.value("--concept")) {
        if (d.decision != ReviewStatus::modified) throw UsageError("--concept goes with modify only");
        d.modified_concept = parse_concept(*c);
    }
    d.note = args.value("--note").value_or("");

    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    auto done = review(ws.store(), session, id, d);
    if (ctx.json) {
        ctx.print_json(suggestion_json(done));
        return 0;
    }
    std::cout << "suggestion " << done.id << " " << to_string(done.status) << " by " << done.reviewed_by.value_or("?")
              << " at " << done.reviewed_at.value_or("?") << ": " << done.summary << '\n';
    return 0;
}

}  // namespace consilium::cli
