// `review SUGGESTION accept | reject --reason TEXT | modify --reason TEXT [--concept S|C|D] [--note TEXT]
// [--reason-code CODE] [--confirm-against-earlier]` and `review SUGGESTION withdraw --reason TEXT`:
// a clinician's decision, or its author's withdrawal of it the same day. The checks (role, reason,
// concept, finality, earlier decisions) live in decision::review, so the GUI enforces the same rules.
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

ReasonCode parse_reason_code(const std::string& code, ReviewStatus decision) {
    auto parsed = reason_code_from_string(code);
    if (!parsed || !reason_fits(*parsed, decision))
        throw UsageError("--reason-code '" + code + "' is not " +
                         (decision == ReviewStatus::modified
                              ? "size_corrected, location_corrected, different_finding or other (modify)"
                              : "clinically_incorrect, not_applicable, insufficient_evidence, already_known or other (reject)"));
    return *parsed;
}

int print(const Context& ctx, const Suggestion& done) {
    if (ctx.json) {
        ctx.print_json(suggestion_json(done));
        return 0;
    }
    std::cout << "suggestion " << done.id << " " << to_string(done.status);
    if (done.status != ReviewStatus::proposed)
        std::cout << " by " << done.reviewed_by.value_or("?") << " at " << done.reviewed_at.value_or("?");
    std::cout << ": " << done.summary << '\n';
    return 0;
}

}  // namespace

int cmd_review(const Context& ctx, const Words& words) {
    auto args = parse_args(words, {"--reason", "--reason-code", "--concept", "--note"}, {"--confirm-against-earlier"});
    const auto id = suggestion_id(args.at(0, "the suggestion id: review SUGGESTION accept|reject|modify|withdraw"));
    const auto& verb = args.at(1, "the decision: accept, reject, modify or withdraw");
    if (args.positional.size() > 2) throw UsageError("review takes one suggestion and one decision");

    if (verb == "withdraw") {
        if (args.value("--reason-code") || args.value("--concept") || args.value("--note") ||
            args.flag("--confirm-against-earlier"))
            throw UsageError("withdraw takes only --reason TEXT");
        const auto reason = args.value("--reason");
        if (!reason) throw UsageError("withdraw needs --reason TEXT: why the decision is withdrawn");
        auto ws = ctx.open_workspace();
        auto session = ctx.login(ws.store());
        return print(ctx, withdraw_review(ws.store(), session, id, *reason));
    }

    ReviewDecision d;
    if (verb == "accept") d.decision = ReviewStatus::accepted;
    else if (verb == "reject") d.decision = ReviewStatus::rejected;
    else if (verb == "modify") d.decision = ReviewStatus::modified;
    else throw UsageError("'" + verb + "' is not a decision: accept, reject, modify or withdraw");
    d.reason_text = args.value("--reason").value_or("");
    if (auto code = args.value("--reason-code")) {
        if (d.decision == ReviewStatus::accepted) throw UsageError("--reason-code goes with modify or reject");
        d.reason_code = parse_reason_code(*code, d.decision);
    }
    if (auto c = args.value("--concept")) {
        if (d.decision != ReviewStatus::modified) throw UsageError("--concept goes with modify only");
        d.modified_concept = parse_concept(*c);
    }
    d.note = args.value("--note").value_or("");
    d.confirmed_against_earlier = args.flag("--confirm-against-earlier");

    auto ws = ctx.open_workspace();
    auto session = ctx.login(ws.store());
    try {
        return print(ctx, review(ws.store(), session, id, d));
    } catch (const AgainstEarlierDecision& e) {
        throw InputError(e.where(), std::string(e.what()).substr(e.where().size() + 2) +
                                        " - repeat with --confirm-against-earlier to record it anyway");
    }
}

}  // namespace consilium::cli
