app_name = "companies"

# Company pages are routed here by the dashboard.
urlpatterns = []
