#include "args.h"

namespace consilium::cli {

std::optional<std::string> Args::value(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    if (it->second.size() > 1) throw UsageError(name + " given more than once");
    return it->second.front();
}

std::vector<std::string> Args::all(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? std::vector<std::string>{} : it->second;
}

const std::string& Args::at(std::size_t i, const char* what) const {
    if (i >= positional.size()) throw UsageError(std::string("missing ") + what);
    return positional[i];
}

Args parse_args(const std::vector<std::string>& words, const std::set<std::string>& value_options,
                const std::set<std::string>& flag_options) {
    Args out;
    bool only_positional = false;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& w = words[i];
        if (only_positional || w.size() < 3 || w.rfind("--", 0) != 0) {
            if (w == "--") {
                only_positional = true;
                continue;
            }
            out.positional.push_back(w);
            continue;
        }
        std::string name = w, inline_value;
        bool has_inline = false;
        if (auto eq = w.find('='); eq != std::string::npos) {
            name = w.substr(0, eq);
            inline_value = w.substr(eq + 1);
            has_inline = true;
        }
        if (value_options.count(name)) {
            if (!has_inline) {
                if (i + 1 >= words.size()) throw UsageError(name + " needs a value");
                inline_value = words[++i];
            }
            out.values[name].push_back(inline_value);
        } else if (flag_options.count(name) && !has_inline) {
            out.flags.insert(name);
        } else {
            throw UsageError("unknown option " + name);
        }
    }
    return out;
}

std::int64_t suggestion_id(const std::string& word) {
    std::size_t used = 0;
    long long id = 0;
    try {
        id = std::stoll(word, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != word.size() || id <= 0) throw UsageError("'" + word + "' is not a suggestion id (a positive number)");
    return id;
}

}  // namespace consilium::cli
