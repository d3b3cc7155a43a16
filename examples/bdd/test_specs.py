from pytest_bdd import scenarios

scenarios("清溪县本地规则.feature")
