#include "mdt_workspace.h"

#include "consilium/decision/workspace.h"

namespace consilium::test {

MdtWorkspace::MdtWorkspace() : folder(dir / "ws") {
    {
        auto ws = decision::Workspace::create(folder);
        auto& store = ws.store();
        decision::add_user(store, nullptr, "admin", decision::Role::admin, "admin");
        auto admin = decision::login(store, "admin", "admin");
        for (auto [name, role] : {std::pair{"radiologist", decision::Role::radiologist},
                                  {"physician", decision::Role::physician}, {"developer", decision::Role::developer}})
            decision::add_user(store, &admin, name, role, name);
        auto tx = store.begin();
        decision::Patient p;
        p.mrn = "MRN-1";
        p.name = "Jane Doe";
        jane = store.patients().insert(p);
        p.mrn = "MRN-2";
        p.name = "Piet de Boer";
        piet = store.patients().insert(p);
        tx->commit();
    }
    workstation = std::make_unique<gui::Workstation>(folder);
}

void MdtWorkspace::login(const std::string& user) {
    workstation->logout();
    BOOST_TEST_REQUIRE(workstation->login(user, user) == "");
}

long long MdtWorkspace::audit_count(const std::string& action) {
    decision::AuditFilter f;
    f.action = action;
    return static_cast<long long>(workstation->store().audit().entries(f).size());
}

}  // namespace consilium::test
