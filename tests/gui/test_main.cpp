#define BOOST_TEST_MODULE gui_model
#include <boost/test/unit_test.hpp>
