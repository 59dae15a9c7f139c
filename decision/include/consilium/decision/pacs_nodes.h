#pragma once
// PACS nodes of the workspace: administrators add them (audited `pacs.add`, credentials never in
// the audit details); every logged-in user may list and use them.
#include "consilium/decision/pacs_node_record.h"
#include "consilium/decision/session.h"
#include "consilium/decision/store.h"

#include <string>
#include <vector>

namespace consilium::decision {

// Checks the node (name [A-Za-z0-9._-]{1,64}, protocol and its fields) and stores it with its
// audit entry. NotPermitted without manage_pacs; InputError for a name already used or bad fields.
PacsNode add_pacs_node(Store& store, const Session& session, PacsNode node);

// Every node, by name.
std::vector<PacsNode> list_pacs_nodes(Store& store, const Session& session);

// The node of that name; NotFound otherwise.
PacsNode find_pacs_node(Store& store, const Session& session, const std::string& name);

}  // namespace consilium::decision
