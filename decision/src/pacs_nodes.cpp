#include "consilium/decision/pacs_nodes.h"
#include "consilium/text/json_text.h"

#include "consilium/decision/clinical_time.h"
#include "consilium/decision/errors.h"

#include <nlohmann/json.hpp>

namespace consilium::decision {
namespace {

bool valid_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    for (char c : name)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == '-'))
            return false;
    return true;
}

// An AE title: 1-16 characters of the default repertoire, no backslash or control characters.
bool valid_aet(const std::string& aet) {
    if (aet.empty() || aet.size() > 16) return false;
    for (char c : aet)
        if (c < 0x20 || c > 0x7e || c == '\\') return false;
    return true;
}

void check(const PacsNode& n) {
    const std::string where = "PACS node '" + n.name + "'";
    if (!valid_name(n.name)) throw InputError(where, "the name must be 1-64 characters of A-Z a-z 0-9 . _ -");
    if (n.protocol == "dicomweb") {
        if (n.url.rfind("http://", 0) != 0 && n.url.rfind("https://", 0) != 0)
            throw InputError(where, "a DICOMweb URL starts with http:// or https://, not '" + n.url + "'");
        if (!n.username.empty() && !n.bearer_token.empty())
            throw InputError(where, "give either a user name and password or a bearer token, not both");
    } else if (n.protocol == "dimse") {
        if (!valid_aet(n.called_aet)) throw InputError(where, "the called AE title must be 1-16 printable characters");
        if (!valid_aet(n.calling_aet)) throw InputError(where, "the calling AE title must be 1-16 printable characters");
        if (n.host.empty()) throw InputError(where, "no host given");
        if (n.port < 1 || n.port > 65535) throw InputError(where, "the port must be 1-65535");
    } else {
        throw InputError(where, "the protocol is dicomweb or dimse, not '" + n.protocol + "'");
    }
}

}  // namespace

PacsNode add_pacs_node(Store& store, const Session& session, PacsNode node) {
    require(session, Permission::manage_pacs);
    check(node);
    node.added_by = session.user.name;
    node.added_at = utc_now();
    auto tx = store.begin();
    if (store.pacs_nodes().find(node.name)) throw InputError("PACS node '" + node.name + "'", "a node of that name exists");
    node.id = store.pacs_nodes().insert(node);
    nlohmann::json details{{"protocol", node.protocol},
                           {"url", node.url},
                           {"called_aet", node.called_aet},
                           {"host", node.host},
                           {"port", node.port},
                           {"calling_aet", node.calling_aet},
                           {"auth", !node.bearer_token.empty() ? "bearer" : !node.username.empty() ? "basic" : "none"},
                           {"username", node.username},
                           {"verify_tls", node.verify_tls}};
    store.audit().append(audit_record(session, "pacs.add", "pacs_node", node.name, text::json_text(details)));
    tx->commit();
    return node;
}

std::vector<PacsNode> list_pacs_nodes(Store& store, const Session& session) {
    require(session, Permission::read_patients);
    return store.pacs_nodes().list();
}

PacsNode find_pacs_node(Store& store, const Session& session, const std::string& name) {
    require(session, Permission::read_patients);
    auto node = store.pacs_nodes().find(name);
    if (!node) throw NotFound("no PACS node named '" + name + "' (pacs list shows them; an admin adds them)");
    return *node;
}

}  // namespace consilium::decision
