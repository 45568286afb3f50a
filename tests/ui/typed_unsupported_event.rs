use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use cors_runtime::cors_handler;
use lambda_runtime::{Error, LambdaEvent};

#[cors_handler(origin = "https://myapp.com")]
async fn handler(
    event: LambdaEvent<ApiGatewayWebsocketProxyRequest>,
) -> Result<ApiGatewayProxyResponse, Error> {
    let _ = event;
    Ok(ApiGatewayProxyResponse::default())
}

fn main() {}
